package qp.agent.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import qp.agent.insight.LatencySummary;
import qp.agent.insight.OptimizationRow;
import qp.agent.insight.TimeRange;
import qp.agent.insight.TrafficAnalysis;

@Command(name = "analyze", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The common message sequences, the latency distribution, payload sizes, anomalies by kind, and "
                + "the current suggestions with their evidence.")
final class AnalyzeCommand implements Callable<Integer> {
    @ParentCommand
    QpCli cli;

    @Mixin
    StoreOption store;

    @Option(names = "--node", paramLabel = "N", description = "only this node")
    String node;

    @Option(names = "--since", defaultValue = "1h", paramLabel = "TIME",
            description = "from this long ago (15m, 1h, 24h) or this instant. Default: ${DEFAULT-VALUE}")
    String since;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
        long now = cli.clock.millis();
        TimeRange range = TimeRange.since(TimeArg.resolve(since, now), now, node);
        TrafficAnalysis.Result r = store.query(cli.clock, c -> new TrafficAnalysis(c).query(range));
        if (json) {
            cli.out.println(JsonOut.of(r));
        } else {
            print(cli.out, range, r);
        }
        return QpCli.EXIT_OK;
    }

    static void print(PrintWriter out, TimeRange range, TrafficAnalysis.Result r) {
        out.printf("analysis since %s%s%n", Format.time(range.fromMillis()),
                range.nodeId() == null ? "" : " for " + range.nodeId());
        out.printf("%ncommon sequences (%d transitions)%n", r.transitions());
        if (r.sequences().isEmpty()) {
            out.println("  none recorded");
        }
        r.sequences().forEach((seq, n) -> out.printf("  %-28s %8d  %5.1f%%%n", seq, n,
                r.transitions() == 0 ? 0.0 : 100.0 * n / r.transitions()));
        LatencySummary l = r.latency().summary();
        out.printf("%nlatency (%d logged frames): avg %s  p50 %s  p95 %s  p99 %s  max %s%n", l.samples(),
                Format.micros(l.avgMicros()), Format.micros(l.p50Micros()), Format.micros(l.p95Micros()),
                Format.micros(l.p99Micros()), Format.micros(l.maxMicros()));
        if (l.samples() == 0) {
            out.println(Format.NO_LOGGED_FRAMES);
        }
        histogram(out, r.latency().histogram(), l.samples());
        TrafficAnalysis.PayloadSizes p = r.payloadBytes();
        out.printf("%npayload sizes (%d frames): mean %s  p95 %s  max %s%n", p.frames(),
                p.meanBytes() == null ? "-" : Format.bytes(p.meanBytes()),
                p.p95Bytes() == null ? "-" : Format.bytes(p.p95Bytes()),
                p.maxBytes() == null ? "-" : Format.bytes(p.maxBytes()));
        histogram(out, p.histogram(), p.frames());
        out.printf("%nanomalies by kind%n");
        if (r.anomalies().isEmpty()) {
            out.println("  none");
        }
        r.anomalies().forEach((kind, n) -> out.printf("  %-22s %6d%n", kind, n));
        out.printf("%ncurrent suggestions%n");
        if (r.suggestions().isEmpty()) {
            out.println("  none");
        }
        for (OptimizationRow s : r.suggestions()) {
            out.printf("  %s | %s %s -> %s | confidence %.2f, expected %.0f%% %s | %s%n", s.nodeId(), s.parameter(),
                    Format.value(s.parameter(), s.currentValue()), Format.value(s.parameter(), s.proposedValue()),
                    s.confidence(), 100 * s.expectedImprovement(), s.targetMetric(), s.status());
            out.printf("    evidence: %s%n", s.evidence() == null ? "-" : s.evidence());
        }
    }

    private static void histogram(PrintWriter out, Map<String, Long> buckets, long total) {
        if (total == 0) {
            return;
        }
        buckets.forEach((label, n) -> out.printf("  %-12s %8d %s%n", label, n,
                "#".repeat((int) Math.round(40.0 * n / total))));
    }
}
