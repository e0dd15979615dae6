-- Flink SQL table over topic qp.trends (TrendReport per node, written by the job).
-- Replace ${bootstrap.servers} (and the group id if you like) before running it, e.g.
--   sed 's/${bootstrap.servers}/kafka-1:9092/' sql/flink/qp_trends.sql
CREATE TABLE qp_trends (
  `nodeId` STRING,
  `windows` INT,
  `fromMillis` BIGINT,
  `toMillis` BIGINT,
  `throughputPerSec` DOUBLE,
  `throughputSlopePerMin` DOUBLE,
  `throughputTrend` STRING,
  `latencyP95Micros` DOUBLE,
  `latencyP95SlopeMicrosPerMin` DOUBLE,
  `latencyTrend` STRING,
  `payloadMeanBytes` DOUBLE,
  `payloadP95Bytes` DOUBLE,
  `payloadSizeHistogram` MAP<STRING, BIGINT>
) WITH (
  'connector' = 'kafka',
  'topic' = 'qp.trends',
  'properties.bootstrap.servers' = '${bootstrap.servers}',
  'properties.group.id' = 'qp-sql-qp_trends',
  -- the job writes this topic in Kafka transactions: read only what was committed
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
)
