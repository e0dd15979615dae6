/**
 * The analytics of the stream job, built by {@link AnalyticsPipeline#build}. Operators (name = uid):
 * <pre>
 * frames ─┬─ type-partials-in-reader (per-type partials; each block's slowest frames so far) ─ late ─ lateFrames
 *         │    └─ keyBy(node,type) ─ frame-latency-anomalies (judges the frames; anomalies: side output) ──────┐
 *         │         └─ (chained, same key) window-stats-by-type  (tumbling, merges the partials) ─┬─ windowStats │
 *         │                                              └─ keyBy(node,type) ─ latency-anomalies ──┤            │
 *         │              └─ type-partials-never-idle ─ keyBy(node) ─ window-stats-by-node (with type mix) ─┐     │
 *         │                        ├─ keyBy(node) ─ error-bursts ──────────────────────────────────┤ anomalies  │
 *         │                        ├─ keyBy(node) ─ type-mix-shifts ───────────────────────────────┤ ◄──────────┘
 *         │                        ├─ keyBy(node) ─ trends ──────────────────────────── trends     │
 *         │                        └─ keyBy(node) ─ rule-recommendations ◄── node metrics by node ─┴─ recommendations
 *         ├─ node-frame-fields ─ keyBy(node) ─ window-stats-by-node  (instead, when windows allow lateness)
 *         │                    └─ keyBy(node) ─ window-stats-sliding  (only when a sliding size is set) ─ windowStats
 *         ├─ connection-frame-fields ─ keyBy(node,connection) ─ connection-sequences-batched ─ keyBy(node)
 *         │                                                   ─ bigrams ── bigrams
 *         └─ experiment-frames (only frames of an experiment) ─ experiment-frame-fields ─ keyBy(node,experiment)
 *                              ─ experiment-stats  (tumbling, per arm/bucket/stratum) ── experimentStats
 * </pre>
 * No keyed edge carries every frame event whole: {@code type-partials-in-reader} folds the frames into their per-type
 * windows before the exchange and passes on only the frames the single-frame check must judge (whole: its evidence
 * names connection, seq and op), and late frames go out unchanged from there. It, the {@code *-fields} operators and
 * {@code experiment-frames} run at the frames' parallelism, chained to the operator that makes the frames, and cut
 * each frame to what the operator behind the next keyed edge reads: {@code NodeTypeInput}, {@code NodeFrame},
 * {@code SequencedFrame}, {@code ExperimentFrame} (field-by-field serializers).
 * The training's frames take the same way ({@code training-frames}, {@code training-rows}: a {@code NodeInput}).
 * Every keyed function keeps its state in value/map state of POJO records (no Kryo) and drops the state of a silent
 * key with an event-time timer.
 */
package qp.job.pipeline;

