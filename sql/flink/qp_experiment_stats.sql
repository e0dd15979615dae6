-- Flink SQL table over topic qp.experiment-stats (ExperimentStats per node, experiment and window, written by the job).
-- Replace ${bootstrap.servers} (and the group id if you like) before running it, e.g.
--   sed 's/${bootstrap.servers}/kafka-1:9092/' sql/flink/qp_experiment_stats.sql
-- One row per window; the arms' cells, latency strata and sessions are arrays (CROSS JOIN UNNEST(`cells`) to flatten).
CREATE TABLE qp_experiment_stats (
  `nodeId` STRING,
  `experimentId` STRING,
  `windowStartMillis` BIGINT,
  `windowEndMillis` BIGINT,
  `cells` ARRAY<ROW<`arm` STRING, `bucket` BIGINT, `type` STRING, `direction` STRING, `band` STRING,
    `frames` BIGINT, `wireBytes` BIGINT, `rawBytes` BIGINT, `errors` BIGINT, `refusals` BIGINT,
    `latencyFrames` BIGINT, `latencySumMicros` BIGINT>>,
  `latency` ARRAY<ROW<`arm` STRING, `type` STRING, `direction` STRING, `band` STRING, `samples` BIGINT,
    `p50Micros` DOUBLE, `p95Micros` DOUBLE, `p99Micros` DOUBLE>>,
  `units` ARRAY<ROW<`arm` STRING, `bucket` BIGINT, `sessions` BIGINT>>
) WITH (
  'connector' = 'kafka',
  'topic' = 'qp.experiment-stats',
  'properties.bootstrap.servers' = '${bootstrap.servers}',
  'properties.group.id' = 'qp-sql-qp_experiment_stats',
  -- the job writes this topic in Kafka transactions: read only what was committed
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
)
