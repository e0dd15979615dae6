/**
 * Per-arm statistics of running experiments (topic {@code qp.experiment-stats}), built by
 * {@link qp.job.experiments.ExperimentStatsStage#stats}. Operators (name = uid):
 * <pre>
 * frames ─ experiment-frames (filter, chained to the frames' operator) ─ keyBy(node, experiment)
 *        ─ experiment-stats (tumbling, {@link qp.job.experiments.ExperimentAccumulator}) ─ experimentStats
 * </pre>
 * Both arms of an experiment run on a node at the same time, so they share each window; the agent compares them
 * within strata (type, direction, payload band) and uses the buckets as replicates.
 */
package qp.job.experiments;
