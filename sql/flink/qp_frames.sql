-- Flink SQL table over topic qp.frames (FrameEvent, written by the gateways, keyed by connection id).
-- Replace ${bootstrap.servers} (and the group id if you like) before running it, e.g.
--   sed 's/${bootstrap.servers}/kafka-1:9092/' sql/flink/qp_frames.sql
CREATE TABLE qp_frames (
  `nodeId` STRING,
  `connectionId` STRING,
  `seq` BIGINT,
  `sessionId` STRING,
  `type` STRING,
  `op` STRING,
  `direction` STRING,
  `wireBytes` INT,
  `rawBytes` INT,
  `compressed` BOOLEAN,
  `latencyMicros` BIGINT,
  `outcome` STRING,
  `paramVersion` BIGINT,
  `eventTimeMillis` BIGINT,
  -- set while an experiment runs on the node, else NULL
  `experimentId` STRING,
  `arm` STRING,
  `bucket` INT,
  `event_time` AS TO_TIMESTAMP_LTZ(eventTimeMillis, 3),
  WATERMARK FOR event_time AS event_time - INTERVAL '2' SECOND
) WITH (
  'connector' = 'kafka',
  'topic' = 'qp.frames',
  'properties.bootstrap.servers' = '${bootstrap.servers}',
  'properties.group.id' = 'qp-sql-qp_frames',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
)
