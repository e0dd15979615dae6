package qp.bench.limit;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** The human-readable report: one per run (sweep, timeline, minutes, verdict), and the summary over all runs. */
final class LimitReport {
    private LimitReport() {
    }

    static String run(RunResult r, LimitSettings s) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%n=== run %d (%s) ===%n", r.run, r.dir.toAbsolutePath()));
        out.append(String.format(Locale.ROOT,
                "upstream: %d workers x %d ms = %.0f requests/s; %d closed-loop clients, %.1f requests per session; SLO p99 %.0f ms%n",
                s.workers(), s.serviceTime().toMillis(), s.workers() * 1000.0 / s.serviceTime().toMillis(), s.clients(),
                s.requestsPerSession(), s.sloMillis()));
        out.append(String.format(Locale.ROOT, "%nphase 1, sweep (warm-up %d s; settle %d s, measure %d s per value):%n",
                s.warmup().toSeconds(), s.sweepSettle().toSeconds(), s.sweepMeasure().toSeconds()));
        out.append(Sweep.Row.header()).append('\n');
        r.sweep.forEach(row -> out.append(row.line()).append('\n'));
        if (r.best != null) {
            out.append("swept best: ").append(r.best.sentence()).append('\n');
        }
        if (r.tune != null) {
            out.append(String.format(Locale.ROOT, "%nphase 2, tune from max_connections %d for %d s: changes of max_connections%n",
                    s.startLimit(), s.tuneDuration().toSeconds()));
            out.append(timeline(r.tune.readings()));
            out.append(String.format(Locale.ROOT, "%nper minute (client side):%n")).append(TuneWatch.Minute.header()).append('\n');
            r.tune.minutes().forEach(m -> out.append(m.line()).append('\n'));
        }
        out.append(String.format(Locale.ROOT, "%nverdict:%n"));
        out.append(verdict(r, s));
        return out.toString();
    }

    /** The verdict's lines: band, p99, ports, and PASS or FAIL with the reasons. */
    static String verdict(RunResult r, LimitSettings s) {
        StringBuilder out = new StringBuilder();
        if (r.band != null) {
            out.append("  (a)(b) ").append(r.band.sentence()).append('\n');
        } else if (r.best != null && !r.best.found()) {
            out.append("  (a)(b) no swept best to hold max_connections to\n");
        }
        if (r.tune != null) {
            out.append(String.format(Locale.ROOT, "  (c) client-side p99 over the last %.0f s: %.1f ms, %s the SLO of %.0f ms%n",
                    r.tune.lastWindowSeconds(), r.p99LastMillis(), r.p99WithinSlo(s.sloMillis()) ? "within" : "NOT within",
                    s.sloMillis()));
        }
        r.portsLeftListening.forEach((phase, ports) -> {
            if (!ports.isEmpty()) {
                out.append("  ports still listening after the ").append(phase).append(" phase's stack stopped: ")
                        .append(ports).append('\n');
            }
        });
        if (r.failure != null) {
            out.append("  the run did not finish: ").append(r.failure).append('\n');
        }
        out.append("  ").append(r.passed(s.sloMillis()) ? "PASS" : "FAIL").append('\n');
        return out.toString();
    }

    /** The readings where max_connections (or the experiment on it) changed, with the time since the start. */
    static String timeline(List<TuneWatch.Reading> readings) {
        StringBuilder out = new StringBuilder();
        TuneWatch.Reading previous = null;
        for (TuneWatch.Reading r : readings) {
            if (previous == null || previous.maxConnections() != r.maxConnections()
                    || !Objects.equals(previous.experiment(), r.experiment())) {
                out.append(String.format(Locale.ROOT, "  %6s  %6d%s%n", BandVerdict.clock(r.seconds()), r.maxConnections(),
                        r.experiment() == null ? "" : "   experiment: " + r.experiment()));
            }
            previous = r;
        }
        if (readings.isEmpty()) {
            out.append("  (no reading)\n");
        } else {
            out.append(String.format(Locale.ROOT, "  %6s  %6d   (end; %d readings every %d s)%n",
                    BandVerdict.clock(readings.get(readings.size() - 1).seconds()),
                    readings.get(readings.size() - 1).maxConnections(), readings.size(),
                    LimitSettings.SAMPLE_EVERY.toSeconds()));
        }
        return out.toString();
    }

    static String summary(List<RunResult> runs, LimitSettings s) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%n=== summary: %d run(s) ===%n", runs.size()));
        out.append(String.format(Locale.ROOT, "%4s %11s %14s %10s %7s %14s %7s%n", "run", "swept best", "band",
                "entered at", "stayed", "last p99 ms", "result"));
        int passed = 0;
        for (RunResult r : runs) {
            boolean ok = r.passed(s.sloMillis());
            passed += ok ? 1 : 0;
            String best = r.best == null || !r.best.found() ? "-" : String.format(Locale.ROOT, "%.1f", r.best.value());
            String band = r.band == null ? "-" : String.format(Locale.ROOT, "[%.0f, %.0f]", r.band.low(), r.band.high());
            String entered = r.band == null || !r.band.entered() ? "-" : BandVerdict.clock(r.band.enteredAtSeconds());
            String stayed = r.band == null ? "-" : r.band.stayed() ? "yes" : "no";
            String p99 = Double.isNaN(r.p99LastMillis()) ? "-" : String.format(Locale.ROOT, "%.1f", r.p99LastMillis());
            out.append(String.format(Locale.ROOT, "%4d %11s %14s %10s %7s %14s %7s%n", r.run, best, band, entered, stayed,
                    p99, ok ? "PASS" : "FAIL"));
        }
        out.append(String.format(Locale.ROOT, "%d of %d run(s) passed%n", passed, runs.size()));
        return out.toString();
    }
}
