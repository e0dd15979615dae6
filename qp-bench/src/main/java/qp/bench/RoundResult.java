package qp.bench;

/**
 * One load run against one target. CPU figures are microseconds of CPU per reply over the measured window:
 * the server's JVM, the broker's JVM, the load generator's. {@code otherCpuCores}: CPU the rest of the machine used
 * meanwhile (other work on a shared machine), in cores. {@code eventsDropped}: frame events the gateway's emitter
 * dropped during the window (-1 for the bare server).
 */
record RoundResult(int round, String target, double repliesPerSec, double p50Micros, double p95Micros,
                   double p99Micros, double maxMicros, long errors, long closes, double serverCpuMicrosPerReply,
                   double brokerCpuMicrosPerReply, double clientCpuMicrosPerReply, double otherCpuCores, long eventsDropped) {
}
