-- Flink SQL table over topic qp.frames (FrameEvent, written by the gateways, keyed by connection id) in the binary
-- event encoding 1.1 (Avro binary, docs/EVENT-ENCODING.md). Flink's avro format cannot read the JSON records of gateways
-- from before the encoding (or run with --event-encoding json): it fails on them or misreads them and the records
-- after them (FLINK-31951), so use this table over a topic that holds binary 1.1 records only.
-- Replace ${bootstrap.servers} (and the group id if you like) before running it, e.g.
--   sed 's/${bootstrap.servers}/kafka-1:9092/' sql/flink/qp_frames.sql
CREATE TABLE qp_frames (
  -- Every field of FrameEvent.avsc in its order, NOT NULL exactly where the schema's type is not a union: Flink's avro
  -- format derives the writer's schema from these columns (docs/EVENT-ENCODING.md). Update with the writers' minor.
  `encodingMajor` INT NOT NULL,   -- 1
  `encodingMinor` INT NOT NULL,   -- 1 (this table reads 1.1 values only)
  `nodeId` STRING NOT NULL,
  `connectionId` STRING NOT NULL,
  `seq` BIGINT NOT NULL,
  `sessionId` STRING,
  `type` STRING NOT NULL,
  `op` STRING,
  `direction` STRING NOT NULL,
  `wireBytes` INT NOT NULL,
  `rawBytes` INT NOT NULL,
  `compressed` BOOLEAN NOT NULL,
  `latencyMicros` BIGINT NOT NULL,
  `outcome` STRING NOT NULL,
  `paramVersion` BIGINT NOT NULL,
  `eventTimeMillis` BIGINT NOT NULL,
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
  'format' = 'avro'
)
