-- Flink SQL table over topic qp.dlq (DeadLetter: input records the job could not read).
-- Replace ${bootstrap.servers} (and the group id if you like) before running it, e.g.
--   sed 's/${bootstrap.servers}/kafka-1:9092/' sql/flink/qp_dlq.sql
CREATE TABLE qp_dlq (
  `topic` STRING,
  `partition` INT,
  `offset` BIGINT,
  `timestampMillis` BIGINT,
  `reason` STRING,
  `valueText` STRING,
  `valueBase64` STRING
) WITH (
  'connector' = 'kafka',
  'topic' = 'qp.dlq',
  'properties.bootstrap.servers' = '${bootstrap.servers}',
  'properties.group.id' = 'qp-sql-qp_dlq',
  -- the job writes this topic in Kafka transactions: read only what was committed
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
)
