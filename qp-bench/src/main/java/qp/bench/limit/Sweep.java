package qp.bench.limit;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Phase 1: with the clients running (after a warm-up), sets max_connections to each swept value in turn through the
 * admin API, lets the load settle, then measures p99, replies/s and refusals/s on the client side.
 */
final class Sweep {
    /** What was measured at one value. */
    record Row(long maxConnections, double p99Millis, double repliesPerSecond, double refusalsPerSecond, long replies,
            long refusals, long errors) {
        SweptBest.Point point() {
            return new SweptBest.Point(maxConnections, p99Millis);
        }

        String line() {
            return String.format(Locale.ROOT, "%16d %12.1f %11.1f %12.1f %9d %9d %7d", maxConnections, p99Millis,
                    repliesPerSecond, refusalsPerSecond, replies, refusals, errors);
        }

        static String header() {
            return String.format(Locale.ROOT, "%16s %12s %11s %12s %9s %9s %7s", "max_connections", "p99 ms",
                    "replies/s", "refusals/s", "replies", "refusals", "errors");
        }
    }

    private final GatewayAdmin admin;
    private final ClientStats stats;
    private final Duration warmup;
    private final Duration settle;
    private final Duration measure;
    private final Consumer<String> say;

    Sweep(GatewayAdmin admin, ClientStats stats, Duration warmup, Duration settle, Duration measure,
            Consumer<String> say) {
        this.admin = admin;
        this.stats = stats;
        this.warmup = warmup;
        this.settle = settle;
        this.measure = measure;
        this.say = say;
    }

    List<Row> run(List<Long> values) throws IOException, InterruptedException {
        List<Row> rows = new ArrayList<>();
        if (!warmup.isZero() && !values.isEmpty()) {
            // the JVMs (gateway, clients, upstream) compile their hot paths first: not part of any value's figures
            admin.setMaxConnections(values.get(0));
            say.accept("warming up " + warmup.toSeconds() + " s at max_connections " + values.get(0));
            Thread.sleep(warmup.toMillis());
        }
        for (long value : values) {
            GatewayAdmin.Params set = admin.setMaxConnections(value);
            say.accept("max_connections " + set.maxConnections() + " (params v" + set.version() + "): settling "
                    + settle.toSeconds() + " s, measuring " + measure.toSeconds() + " s");
            Thread.sleep(settle.toMillis());
            stats.take(); // the settling time is not measured
            Thread.sleep(measure.toMillis());
            ClientStats.Interval m = stats.take();
            Row row = new Row(value, m.p99Millis(), m.repliesPerSecond(), m.refusalsPerSecond(), m.counts().replies(),
                    m.counts().refusals(), m.counts().errors());
            rows.add(row);
            say.accept(String.format(Locale.ROOT, "max_connections %d: p99 %.1f ms, %.1f replies/s, %.1f refusals/s",
                    value, row.p99Millis(), row.repliesPerSecond(), row.refusalsPerSecond()));
        }
        return rows;
    }
}
