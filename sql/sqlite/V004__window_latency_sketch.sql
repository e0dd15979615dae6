-- QP agent store, migration 4: the latency sketch of each node's windows, so that `stats` reports latency over any
-- range exactly for every connection (the windows' DDSketches merged) instead of from the sampled message_log.

-- DDSketch bytes (qp.protocol.analytics.SketchCodec) of the window's latencies, on the tumbling all-types rows
-- (source 'window', type '*', window_view 'TUMBLING'); NULL on the other rows and on rows from before this migration.
ALTER TABLE performance_metrics ADD COLUMN latency_sketch BLOB;
