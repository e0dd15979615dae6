-- Flink SQL table over topic qp.anomalies (Anomaly with its evidence, written by the job).
-- Replace ${bootstrap.servers} (and the group id if you like) before running it, e.g.
--   sed 's/${bootstrap.servers}/kafka-1:9092/' sql/flink/qp_anomalies.sql
CREATE TABLE qp_anomalies (
  `nodeId` STRING,
  `type` STRING,
  `kind` STRING,
  `severity` STRING,
  `score` DOUBLE,
  `value` DOUBLE,
  `mean` DOUBLE,
  `sigma` DOUBLE,
  `threshold` DOUBLE,
  `windowStartMillis` BIGINT,
  `windowEndMillis` BIGINT,
  `detail` STRING
) WITH (
  'connector' = 'kafka',
  'topic' = 'qp.anomalies',
  'properties.bootstrap.servers' = '${bootstrap.servers}',
  'properties.group.id' = 'qp-sql-qp_anomalies',
  -- the job writes this topic in Kafka transactions: read only what was committed
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
)
