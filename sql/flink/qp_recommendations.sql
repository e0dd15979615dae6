-- Flink SQL table over topic qp.recommendations (Recommendation of one parameter change, written by the job).
-- Replace ${bootstrap.servers} (and the group id if you like) before running it, e.g.
--   sed 's/${bootstrap.servers}/kafka-1:9092/' sql/flink/qp_recommendations.sql
CREATE TABLE qp_recommendations (
  `id` STRING,
  `nodeId` STRING,
  `parameter` STRING,
  `currentValue` BIGINT,
  `proposedValue` BIGINT,
  `confidence` DOUBLE,
  `expectedImprovement` DOUBLE,
  `targetMetric` STRING,
  `source` STRING,
  `modelVersion` STRING,
  `ruleOrModel` STRING,
  `evidence` STRING,
  `paramVersion` BIGINT,
  `createdAtMillis` BIGINT
) WITH (
  'connector' = 'kafka',
  'topic' = 'qp.recommendations',
  'properties.bootstrap.servers' = '${bootstrap.servers}',
  'properties.group.id' = 'qp-sql-qp_recommendations',
  -- the job writes this topic in Kafka transactions: read only what was committed
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
)
