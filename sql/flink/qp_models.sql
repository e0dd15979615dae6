-- Flink SQL table over topic qp.models (ModelReport: trained model versions, written by the job's training).
-- Replace ${bootstrap.servers} (and the group id if you like) before running it, e.g.
--   sed 's/${bootstrap.servers}/kafka-1:9092/' sql/flink/qp_models.sql
CREATE TABLE qp_models (
  `name` STRING,
  `nodeId` STRING,
  `version` STRING,
  `algorithm` STRING,
  `trainedAtMillis` BIGINT,
  `rows` BIGINT,
  `trainRows` BIGINT,
  `testRows` BIGINT,
  `published` BOOLEAN,
  `r2` DOUBLE,
  `maeMicros` DOUBLE,
  `scoreThreshold` DOUBLE,
  `featureImportance` MAP<STRING, DOUBLE>,
  `detail` STRING,
  `modelBase64` STRING
) WITH (
  'connector' = 'kafka',
  'topic' = 'qp.models',
  'properties.bootstrap.servers' = '${bootstrap.servers}',
  'properties.group.id' = 'qp-sql-qp_models',
  -- the job writes this topic in Kafka transactions: read only what was committed
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
)
