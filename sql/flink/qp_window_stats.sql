-- Flink SQL table over topic qp.window-stats (WindowStats per node, type and window, written by the job).
-- Replace ${bootstrap.servers} (and the group id if you like) before running it, e.g.
--   sed 's/${bootstrap.servers}/kafka-1:9092/' sql/flink/qp_window_stats.sql
CREATE TABLE qp_window_stats (
  `nodeId` STRING,
  `type` STRING,
  `view` STRING,
  `windowStartMillis` BIGINT,
  `windowEndMillis` BIGINT,
  `count` BIGINT,
  `bytes` BIGINT,
  `throughputPerSec` DOUBLE,
  `bytesPerSec` DOUBLE,
  `errorCount` BIGINT,
  `errorRate` DOUBLE,
  `latencySamples` BIGINT,
  `latencyP50Micros` DOUBLE,
  `latencyP95Micros` DOUBLE,
  `latencyP99Micros` DOUBLE,
  `latencyMaxMicros` BIGINT,
  `payloadMeanBytes` DOUBLE,
  `payloadStddevBytes` DOUBLE,
  `payloadP95Bytes` DOUBLE,
  `payloadMaxBytes` BIGINT,
  `typeMix` MAP<STRING, BIGINT>,
  `payloadSizeHistogram` MAP<STRING, BIGINT>,
  -- the window's latency DDSketch, base64 (qp.protocol.analytics.SketchCodec): merge these, not the percentiles
  `latencySketch` STRING
) WITH (
  'connector' = 'kafka',
  'topic' = 'qp.window-stats',
  'properties.bootstrap.servers' = '${bootstrap.servers}',
  'properties.group.id' = 'qp-sql-qp_window_stats',
  -- the job writes this topic in Kafka transactions: read only what was committed
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
)
