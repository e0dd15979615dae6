-- Flink SQL table over topic qp.bigrams (BigramWindow: message-type sequences per node and window, written by the job).
-- Replace ${bootstrap.servers} (and the group id if you like) before running it, e.g.
--   sed 's/${bootstrap.servers}/kafka-1:9092/' sql/flink/qp_bigrams.sql
CREATE TABLE qp_bigrams (
  `nodeId` STRING,
  `windowStartMillis` BIGINT,
  `windowEndMillis` BIGINT,
  `totalTransitions` BIGINT,
  `distinctSequences` INT,
  `top` ARRAY<ROW<`from` STRING, `to` STRING, `sequence` STRING, `count` BIGINT, `share` DOUBLE>>
) WITH (
  'connector' = 'kafka',
  'topic' = 'qp.bigrams',
  'properties.bootstrap.servers' = '${bootstrap.servers}',
  'properties.group.id' = 'qp-sql-qp_bigrams',
  -- the job writes this topic in Kafka transactions: read only what was committed
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
)
