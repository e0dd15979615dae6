/**
 * The analytics of the stream job, built by {@link AnalyticsPipeline#build}. Operators (name = uid):
 * <pre>
 * frames ─┬─ keyBy(node,type) ─ frame-latency-anomalies (frames pass on; anomalies: side output) ──────────┐
 *         │      └─ (chained, same key) window-stats-by-type  (tumbling, DDSketch aggregate) ─┬─ windowStats
 *         │                        └─ late frames (side output) ─────────────────────  lateFrames
 *         │                                              └─ keyBy(node,type) ─ latency-anomalies ──┐
 *         ├─ keyBy(node) ───── window-stats-by-node  (tumbling, with type mix) ───────┤ windowStats │
 *         │                        ├─ keyBy(node) ─ error-bursts ──────────────────────────────────┤
 *         │                        ├─ keyBy(node) ─ type-mix-shifts ───────────────────────────────┤ anomalies
 *         │                        ├─ keyBy(node) ─ trends ──────────────────────────── trends     │
 *         │                        └─ keyBy(node) ─ rule-recommendations ◄── node metrics by node ─┼─ recommendations
 *         ├─ keyBy(node) ───── window-stats-sliding  (only when a sliding size is set) ─ windowStats
 *         ├─ keyBy(node,connection) ─ connection-sequences-batched ─ keyBy(node) ─ bigrams ── bigrams
 *         └─ experiment-frames (only frames of an experiment; chained) ─ keyBy(node,experiment)
 *                              ─ experiment-stats  (tumbling, per arm/bucket/stratum) ── experimentStats
 * </pre>
 * Every keyed function keeps its state in value/map state of POJO records (no Kryo) and drops the state of a silent
 * key with an event-time timer.
 */
package qp.job.pipeline;

