package qp.job.windows;

/**
 * What a closed per-(node, type) window hands to the per-node window of the same size: its accumulator, which keeps
 * no type mix, and the type its frames count under. One record per node, type and window instead of one per frame.
 * The event time travels as the record's timestamp, the window's last millisecond (Flink's window results carry it).
 */
public record TypeWindowPartial(String nodeId, String type, StatsAccumulator stats) {
}
