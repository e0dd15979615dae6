/**
 * The analytics of the stream job, built by {@link AnalyticsPipeline#build}. Operators (name = uid):
 * <pre>
 * frames ─┬─ keyBy(node,type) ─ frame-latency-anomalies (frames pass on; anomalies: side output) ──────────┐
 *         │      └─ (chained, same key) window-stats-by-type  (tumbling, DDSketch aggregate) ─┬─ windowStats
 *         │                        └─ late frames (side output) ─────────────────────  lateFrames
 *         │                                              └─ keyBy(node,type) ─ latency-anomalies ──┐
 *         ├─ node-frame-fields ─ keyBy(node) ─ window-stats-by-node  (tumbling, with type mix) ─┤ windowStats │
 *         │                        ├─ keyBy(node) ─ error-bursts ──────────────────────────────────┤
 *         │                        ├─ keyBy(node) ─ type-mix-shifts ───────────────────────────────┤ anomalies
 *         │                        ├─ keyBy(node) ─ trends ──────────────────────────── trends     │
 *         │                        └─ keyBy(node) ─ rule-recommendations ◄── node metrics by node ─┼─ recommendations
 *         │          └─ keyBy(node) ─ window-stats-sliding  (only when a sliding size is set) ─ windowStats
 *         ├─ connection-frame-fields ─ keyBy(node,connection) ─ connection-sequences-batched ─ keyBy(node)
 *         │                                                   ─ bigrams ── bigrams
 *         └─ experiment-frames (only frames of an experiment) ─ experiment-frame-fields ─ keyBy(node,experiment)
 *                              ─ experiment-stats  (tumbling, per arm/bucket/stratum) ── experimentStats
 * </pre>
 * Only the node/type edge carries whole frame events (the detector's evidence names connection, seq and op; late
 * frames go out unchanged). The {@code *-fields} operators and {@code experiment-frames} run at the frames'
 * parallelism, chained to the operator that makes the frames, and cut each frame to what the operator behind the next
 * keyed edge reads: {@code NodeFrame}, {@code SequencedFrame}, {@code ExperimentFrame} (field-by-field serializers).
 * The training's frames take the same way ({@code training-frames}, {@code training-rows}: a {@code NodeInput}).
 * Every keyed function keeps its state in value/map state of POJO records (no Kryo) and drops the state of a silent
 * key with an event-time timer.
 */
package qp.job.pipeline;

