package qp.bench.limit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import qp.protocol.json.QpJson;

/**
 * One run of the benchmark, filled in as it goes: the sweep and its best value, what the tuning phase saw, the
 * verdict, and what went wrong if the run could not finish. {@link #toJson()} is its {@code result.json}.
 */
final class RunResult {
    final int run;
    final Path dir;
    final List<Sweep.Row> sweep = new ArrayList<>();
    SweptBest best;
    TuneWatch.Result tune;
    BandVerdict band;
    /** Why the run ended early, or null. */
    String failure;
    /** Ports of a stack still listening after it was stopped, per phase (empty lists when all closed). */
    final Map<String, List<Integer>> portsLeftListening = new LinkedHashMap<>();
    /** The agent's view saved into the run's dir: file name to bin/qp's exit code. */
    final Map<String, Integer> agentFiles = new LinkedHashMap<>();

    RunResult(int run, Path dir) {
        this.run = run;
        this.dir = dir;
    }

    double p99LastMillis() {
        return tune == null ? Double.NaN : tune.last().p99Millis();
    }

    /** NaN p99 (no reply in the last window) is not within the SLO. */
    boolean p99WithinSlo(double sloMillis) {
        return p99LastMillis() <= sloMillis;
    }

    boolean passed(double sloMillis) {
        return failure == null && best != null && best.found() && band != null && band.stayed()
                && p99WithinSlo(sloMillis);
    }

    ObjectNode toJson(LimitSettings s) {
        ObjectNode root = QpJson.object().put("run", run).put("dir", dir.toAbsolutePath().toString());
        ObjectNode settings = root.putObject("settings");
        settings.put("sloP99Millis", s.sloMillis()).put("workers", s.workers())
                .put("serviceTimeMillis", s.serviceTime().toNanos() / 1e6).put("clients", s.clients())
                .put("requestsPerSession", s.requestsPerSession()).put("warmupSeconds", s.warmup().toSeconds())
                .put("sweepSettleSeconds", s.sweepSettle().toSeconds())
                .put("sweepMeasureSeconds", s.sweepMeasure().toSeconds())
                .put("tuneDurationSeconds", s.tuneDuration().toSeconds()).put("startLimit", s.startLimit())
                .put("band", s.band());
        ArrayNode rows = root.putArray("sweep");
        for (Sweep.Row r : sweep) {
            rows.addObject().put("maxConnections", r.maxConnections()).put("p99Millis", num(r.p99Millis()))
                    .put("repliesPerSecond", r.repliesPerSecond()).put("refusalsPerSecond", r.refusalsPerSecond())
                    .put("replies", r.replies()).put("refusals", r.refusals()).put("errors", r.errors());
        }
        if (best != null) {
            root.putObject("sweptBest").put("value", num(best.value())).put("crossed", best.crossed())
                    .put("sentence", best.sentence());
        }
        if (tune != null) {
            ObjectNode t = root.putObject("tune");
            ArrayNode timeline = t.putArray("maxConnections");
            for (TuneWatch.Reading r : tune.readings()) {
                timeline.addObject().put("seconds", r.seconds()).put("maxConnections", r.maxConnections())
                        .put("experiment", r.experiment());
            }
            ArrayNode minutes = t.putArray("minutes");
            for (TuneWatch.Minute m : tune.minutes()) {
                minutes.addObject().put("minute", m.index()).put("endSeconds", m.endSeconds())
                        .put("p99Millis", num(m.p99Millis())).put("repliesPerSecond", m.repliesPerSecond())
                        .put("refusalsPerSecond", m.refusalsPerSecond()).put("replies", m.replies())
                        .put("refusals", m.refusals()).put("errors", m.errors());
            }
            t.put("lastWindowSeconds", tune.lastWindowSeconds()).put("lastWindowP99Millis", num(p99LastMillis()))
                    .put("unreadableParams", tune.unreadable());
        }
        ObjectNode v = root.putObject("verdict");
        if (band != null) {
            v.put("bandLow", band.low()).put("bandHigh", band.high())
                    .put("enteredAtSeconds", band.entered() ? band.enteredAtSeconds() : null)
                    .put("stayed", band.stayed())
                    .put("leftAtSeconds", band.leftAtSeconds() >= 0 ? band.leftAtSeconds() : null)
                    .put("sentence", band.sentence());
        }
        v.put("p99LastWindowMillis", num(p99LastMillis())).put("p99WithinSlo", p99WithinSlo(s.sloMillis()))
                .put("passed", passed(s.sloMillis())).put("failure", failure);
        ObjectNode ports = root.putObject("portsLeftListening");
        portsLeftListening.forEach((phase, list) -> {
            ArrayNode open = ports.putArray(phase);
            list.forEach(open::add);
        });
        ObjectNode files = root.putObject("agentFiles");
        agentFiles.forEach(files::put);
        return root;
    }

    /** JSON has no NaN: null instead. */
    private static Double num(double d) {
        return Double.isNaN(d) ? null : d;
    }
}
