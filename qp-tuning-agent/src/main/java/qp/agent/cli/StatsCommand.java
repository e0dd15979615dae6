package qp.agent.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import qp.agent.insight.NodeStats;
import qp.agent.insight.TimeRange;
import qp.agent.insight.TrafficStats;

@Command(name = "stats", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Uptime, frames and bytes in/out, messages per second, latency avg/p50/p95/p99/max, error rate "
                + "and connections, per node and in total.",
                "Traffic figures come from the nodes' per-second samples; latency and error rate from the job's "
                + "windows (qp.window-stats) that end in the range, their latency sketches merged: every frame of "
                + "every connection counted, p50/p95/p99 within the sketch's relative accuracy."})
final class StatsCommand implements Callable<Integer> {
    @ParentCommand
    QpCli cli;

    @Mixin
    StoreOption store;

    @Option(names = "--node", paramLabel = "N", description = "only this node")
    String node;

    @Option(names = "--since", defaultValue = "15m", paramLabel = "TIME",
            description = "from this long ago (15m, 1h, 24h) or this instant. Default: ${DEFAULT-VALUE}")
    String since;

    @Option(names = "--json", description = "print JSON: {\"nodes\":{\"<node>\":{...}},\"total\":{...}}; "
            + "latencyWindows and latencySamples say how many windows and frames the latency covers")
    boolean json;

    @Override
    public Integer call() {
        long now = cli.clock.millis();
        TimeRange range = TimeRange.since(TimeArg.resolve(since, now), now, node);
        TrafficStats.Result r = store.query(cli.clock, c -> new TrafficStats(c).query(range));
        if (node != null && r.nodes().isEmpty()) {
            throw new CliException("no data for node '" + node + "' since " + Format.time(range.fromMillis())
                    + "; leave out --node to see every node");
        }
        if (json) {
            cli.out.println(JsonOut.of(r));
        } else {
            print(cli.out, range, r);
        }
        return QpCli.EXIT_OK;
    }

    private static final String ROW = "%-14s %8s %9s %9s %10s %10s %8s %8s %8s %8s %8s %8s %7s %6s%n";

    static void print(PrintWriter out, TimeRange range, TrafficStats.Result r) {
        out.printf("stats since %s%n", Format.time(range.fromMillis()));
        if (r.nodes().isEmpty()) {
            out.println("no traffic recorded in this range");
            return;
        }
        out.printf(ROW, "node", "uptime", "frames in", "out", "bytes in", "out", "msg/s", "avg", "p50", "p95", "p99",
                "max", "errors", "conns");
        for (Map.Entry<String, NodeStats> e : r.nodes().entrySet()) {
            row(out, e.getKey(), e.getValue());
        }
        row(out, "total", r.total());
        sources(out, r);
    }

    /** Where latency and errors come from, and how much of the traffic they cover. */
    private static void sources(PrintWriter out, TrafficStats.Result r) {
        NodeStats t = r.total();
        if (t.latencyWindows() + t.latencyWindowsLeftOut() == 0) {
            out.println(NO_WINDOWS);
            return;
        }
        out.println("latency and errors: the job's windows that end in this range (qp.window-stats), their latency "
                + "sketches merged: every frame counted"
                + (t.latencyRelativeAccuracy() == null ? ""
                        : String.format(", p50/p95/p99 within %s%%", percent(t.latencyRelativeAccuracy()))));
        for (Map.Entry<String, NodeStats> e : r.nodes().entrySet()) {
            NodeStats s = e.getValue();
            String left = s.latencyWindowsLeftOut() == 0 ? ""
                    : "; " + windows(s.latencyWindowsLeftOut()) + " left out of the latency (no sketch, or one of "
                            + "another accuracy)";
            out.printf("  %s: %s, %d frames, %d with a latency%s%n", e.getKey(), windows(s.latencyWindows()),
                    s.windowFrames(), s.latencySamples(), left);
        }
    }

    private static String windows(long n) {
        return n + (n == 1 ? " window" : " windows");
    }

    /** 0.005 as "0.5". */
    private static String percent(double ratio) {
        return java.math.BigDecimal.valueOf(100 * ratio).stripTrailingZeros().toPlainString();
    }

    static final String NO_WINDOWS = "latency and errors: no window of the job ends in this range (qp.window-stats): "
            + "is the job running (bin/qp job) and the agent reading its topics? Per-frame detail of the frames the "
            + "agent logged: bin/qp analyze";

    private static void row(PrintWriter out, String name, NodeStats s) {
        out.printf(ROW, name, Format.seconds(s.uptimeSeconds()), Format.count(s.framesIn()), Format.count(s.framesOut()),
                Format.bytes(s.bytesIn()), Format.bytes(s.bytesOut()), String.format("%.1f", s.messagesPerSec()),
                Format.micros(s.latencyAvgMicros()), Format.micros(s.latencyP50Micros()),
                Format.micros(s.latencyP95Micros()), Format.micros(s.latencyP99Micros()),
                Format.micros(s.latencyMaxMicros()), Format.percent(s.errorRate()),
                s.connections() == null ? "-" : s.connections().toString());
    }
}
