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
                "Traffic figures come from the nodes' per-second samples; latency and error rate from the frames the "
                + "agent logged (message_log)."})
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

    @Option(names = "--json", description = "print JSON: {\"nodes\":{\"<node>\":{...}},\"total\":{...}}")
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
        if (r.total().latencySamples() == 0) {
            out.println(Format.NO_LOGGED_FRAMES);
        }
    }

    private static void row(PrintWriter out, String name, NodeStats s) {
        out.printf(ROW, name, Format.seconds(s.uptimeSeconds()), Format.count(s.framesIn()), Format.count(s.framesOut()),
                Format.bytes(s.bytesIn()), Format.bytes(s.bytesOut()), String.format("%.1f", s.messagesPerSec()),
                Format.micros(s.latencyAvgMicros()), Format.micros(s.latencyP50Micros()),
                Format.micros(s.latencyP95Micros()), Format.micros(s.latencyP99Micros()),
                Format.micros(s.latencyMaxMicros()), Format.percent(s.errorRate()),
                s.connections() == null ? "-" : s.connections().toString());
    }
}
