-- Flink SQL table over topic qp.node-metrics (NodeMetrics, per-second samples written by the gateways, keyed by node)
-- in the binary event encoding 1.1 (Avro binary, docs/EVENT-ENCODING.md). Flink's avro format cannot read the JSON
-- records of gateways from before the encoding (or run with --event-encoding json): it fails on them or misreads them
-- and the records after them (FLINK-31951), so use this table over a topic that holds binary 1.1 records only.
-- Replace ${bootstrap.servers} (and the group id if you like) before running it, e.g.
--   sed 's/${bootstrap.servers}/kafka-1:9092/' sql/flink/qp_node_metrics.sql
CREATE TABLE qp_node_metrics (
  -- Every field of NodeMetrics.avsc in its order, NOT NULL exactly where the schema's type is not a union: Flink's
  -- avro format derives the writer's schema from these columns (docs/EVENT-ENCODING.md). Update with the writers' minor.
  `encodingMajor` INT NOT NULL,   -- 1
  `encodingMinor` INT NOT NULL,   -- 1 (this table reads 1.1 values only)
  `nodeId` STRING NOT NULL,
  `timestampMillis` BIGINT NOT NULL,
  `framesInPerSec` DOUBLE NOT NULL,
  `framesOutPerSec` DOUBLE NOT NULL,
  `bytesInPerSec` DOUBLE NOT NULL,
  `bytesOutPerSec` DOUBLE NOT NULL,
  `processCpuLoad` DOUBLE NOT NULL,
  `heapUsedBytes` BIGINT NOT NULL,
  `heapMaxBytes` BIGINT NOT NULL,
  `connections` INT NOT NULL,
  `heartbeatTimeouts` BIGINT NOT NULL,
  `heartbeatTimeoutsTotal` BIGINT NOT NULL,
  `paramVersion` BIGINT NOT NULL,
  `params` ROW<`bufferSizeBytes` BIGINT NOT NULL, `heartbeatIntervalMs` BIGINT NOT NULL,
             `compressionThresholdBytes` BIGINT NOT NULL, `maxConnections` BIGINT NOT NULL,
             `maxFrameBytes` BIGINT NOT NULL> NOT NULL,
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
  'format' = 'avro'
)
