package qp.bench.limit;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Phase 2's clock: while the stack tunes, reads max_connections from the admin API every {@code sampleEvery} and
 * takes the clients' figures every minute, for {@code duration}; then the p99 over the last {@code lastWindow}.
 */
final class TuneWatch {
    /** One reading of GET /params; {@code experiment} names a running experiment ("max_connections -> 60"), or null. */
    record Reading(double seconds, long maxConnections, String experiment) {
        BandVerdict.Sample sample() {
            return new BandVerdict.Sample(seconds, maxConnections);
        }
    }

    /** The clients' figures over one minute (the last one may be shorter). */
    record Minute(int index, double endSeconds, double p99Millis, double repliesPerSecond, double refusalsPerSecond,
            long replies, long refusals, long errors) {
        String line() {
            return String.format(Locale.ROOT, "%6s %12.1f %11.1f %12.1f %7d", BandVerdict.clock(endSeconds), p99Millis,
                    repliesPerSecond, refusalsPerSecond, errors);
        }

        static String header() {
            return String.format(Locale.ROOT, "%6s %12s %11s %12s %7s", "until", "p99 ms", "replies/s", "refusals/s",
                    "errors");
        }
    }

    /**
     * What the watch saw; {@code last} is the clients' interval over the last window (its p99 is the verdict's): the
     * whole minutes that start no earlier than {@code lastWindow} before the end, or the whole run when it is shorter.
     */
    record Result(List<Reading> readings, List<Minute> minutes, ClientStats.Interval last, double lastWindowSeconds,
            int unreadable) {
    }

    private final GatewayAdmin admin;
    private final ClientStats stats;
    private final Duration sampleEvery;
    private final Consumer<String> say;

    TuneWatch(GatewayAdmin admin, ClientStats stats, Duration sampleEvery, Consumer<String> say) {
        this.admin = admin;
        this.stats = stats;
        this.sampleEvery = sampleEvery;
        this.say = say;
    }

    /** Runs for {@code duration} from now; {@code alive} false (the stack died) ends it with an exception. */
    Result run(Duration duration, Duration lastWindow, BooleanSupplier alive) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long nextSample = start;
        long nextMinute = start + Duration.ofMinutes(1).toNanos();
        List<Reading> readings = new ArrayList<>();
        List<Minute> minutes = new ArrayList<>();
        List<ClientStats.Interval> intervals = new ArrayList<>();
        List<Double> intervalEnds = new ArrayList<>();
        int unreadable = 0;
        long lastValue = -1;
        stats.take(); // the clients' figures start with the clock
        while (true) {
            long now = System.nanoTime();
            if (now >= nextSample && now < end) {
                double s = (now - start) / 1e9;
                try {
                    GatewayAdmin.Params p = admin.params();
                    String experiment = p.experimentRunning() ? p.experimentParameter() + " -> " + p.experimentTreatment() : null;
                    readings.add(new Reading(s, p.maxConnections(), experiment));
                    if (p.maxConnections() != lastValue) {
                        say.accept("at " + BandVerdict.clock(s) + " max_connections is " + p.maxConnections()
                                + (experiment == null ? "" : " (experiment running: " + experiment + ")"));
                        lastValue = p.maxConnections();
                    }
                } catch (IOException e) {
                    unreadable++;
                    say.accept("at " + BandVerdict.clock(s) + " GET /params failed: " + e.getMessage());
                }
                nextSample += sampleEvery.toNanos();
            }
            if (now >= nextMinute || now >= end) {
                ClientStats.Interval i = stats.take();
                double endSeconds = (Math.min(now, end) - start) / 1e9;
                intervals.add(i);
                intervalEnds.add(endSeconds);
                Minute m = new Minute(minutes.size() + 1, endSeconds, i.p99Millis(), i.repliesPerSecond(),
                        i.refusalsPerSecond(), i.counts().replies(), i.counts().refusals(), i.counts().errors());
                minutes.add(m);
                say.accept(String.format(Locale.ROOT, "minute %d: p99 %.1f ms, %.1f replies/s, %.1f refusals/s",
                        m.index(), m.p99Millis(), m.repliesPerSecond(), m.refusalsPerSecond()));
                nextMinute += Duration.ofMinutes(1).toNanos();
                if (now >= end) {
                    break;
                }
            }
            if (!alive.getAsBoolean()) {
                throw new IllegalStateException("the stack stopped during the tuning phase");
            }
            long wake = Math.min(Math.min(nextSample, nextMinute), end);
            Thread.sleep(Math.max(1, (wake - System.nanoTime()) / 1_000_000));
        }
        double total = duration.toNanos() / 1e9;
        double from = total - lastWindow.toNanos() / 1e9;
        ClientStats.Interval last = ClientStats.Interval.empty();
        for (int k = 0; k < intervals.size(); k++) {
            double intervalStart = k == 0 ? 0 : intervalEnds.get(k - 1);
            if (intervalStart >= from - 1e-6) {
                last = last.plus(intervals.get(k));
            }
        }
        return new Result(readings, minutes, last, last.seconds(), unreadable);
    }
}
