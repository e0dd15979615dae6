-- Flink SQL table over topic qp.control (ControlCommand to the job, written by the dashboard and the CLI).
-- Replace ${bootstrap.servers} (and the group id if you like) before running it, e.g.
--   sed 's/${bootstrap.servers}/kafka-1:9092/' sql/flink/qp_control.sql
CREATE TABLE qp_control (
  `command` STRING,
  `nodeId` STRING,
  `requestedBy` STRING,
  `requestedAtMillis` BIGINT
) WITH (
  'connector' = 'kafka',
  'topic' = 'qp.control',
  'properties.bootstrap.servers' = '${bootstrap.servers}',
  'properties.group.id' = 'qp-sql-qp_control',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
)
