-- Flink SQL table over topic qp.node-metrics (NodeMetrics, per-second samples written by the gateways, keyed by node).
-- Replace ${bootstrap.servers} (and the group id if you like) before running it, e.g.
--   sed 's/${bootstrap.servers}/kafka-1:9092/' sql/flink/qp_node_metrics.sql
CREATE TABLE qp_node_metrics (
  `nodeId` STRING,
  `timestampMillis` BIGINT,
  `framesInPerSec` DOUBLE,
  `framesOutPerSec` DOUBLE,
  `bytesInPerSec` DOUBLE,
  `bytesOutPerSec` DOUBLE,
  `processCpuLoad` DOUBLE,
  `heapUsedBytes` BIGINT,
  `heapMaxBytes` BIGINT,
  `connections` INT,
  `heartbeatTimeouts` BIGINT,
  `heartbeatTimeoutsTotal` BIGINT,
  `paramVersion` BIGINT,
  `params` ROW<`bufferSizeBytes` BIGINT, `heartbeatIntervalMs` BIGINT, `compressionThresholdBytes` BIGINT,
             `maxConnections` BIGINT, `maxFrameBytes` BIGINT>,
  `instanceId` STRING,
  `advertisedAdminUrl` STRING,
  `experimentId` STRING,          -- the running experiment, absent when none
  `arm` STRING,                   -- switchback: the node's arm in this second
  `experimentParameter` STRING,   -- the parameter under experiment, and its two values
  `controlValue` BIGINT,
  `treatmentValue` BIGINT,
  `sample_time` AS TO_TIMESTAMP_LTZ(timestampMillis, 3)
) WITH (
  'connector' = 'kafka',
  'topic' = 'qp.node-metrics',
  'properties.bootstrap.servers' = '${bootstrap.servers}',
  'properties.group.id' = 'qp-sql-qp_node_metrics',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
)
