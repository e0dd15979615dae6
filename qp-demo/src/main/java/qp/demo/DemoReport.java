package qp.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import qp.bench.scenario.ScenarioRunner;
import qp.protocol.params.TunableParameter;

/**
 * The demo's status line and its final report, from what the topics and the agent's store hold. The loop is closed
 * when at least one experiment was kept and its treatment adopted on the whole node.
 */
final class DemoReport {
    /** A phase with the wall-clock span it was played in. */
    record PlayedPhase(ScenarioRunner.PhaseResult result, long startMillis, long endMillis) {
    }

    private DemoReport() {
    }

    static String status(String clock, String phase, LoopState s, List<Map<String, Object>> optimizations,
            List<ExperimentSeen> experiments, boolean agentRunning, MemorySampler mem) {
        StringBuilder b = new StringBuilder();
        b.append("[demo ").append(clock).append("] ").append(phase);
        b.append(" | windows ").append(s.windowCount());
        Map<String, Long> kinds = s.anomaliesByKind();
        b.append(" | anomalies ").append(kinds.values().stream().mapToLong(Long::longValue).sum());
        if (!kinds.isEmpty()) {
            b.append(' ').append(kinds);
        }
        b.append(" | models ");
        if (s.models().isEmpty()) {
            b.append("none yet");
        } else {
            b.append(s.models().stream().map(DemoReport::model).collect(Collectors.joining(", ")));
        }
        List<LoopState.RecommendationSeen> recs = s.recommendations();
        Map<String, Long> bySource = recs.stream().collect(Collectors.groupingBy(LoopState.RecommendationSeen::source,
                TreeMap::new, Collectors.counting()));
        b.append(" | recommendations ").append(recs.size());
        if (!bySource.isEmpty()) {
            b.append(' ').append(bySource);
        }
        b.append(" | agent ");
        b.append(!agentRunning ? "not running" : optimizations.isEmpty() ? "no decisions yet" : AgentStore.byStatus(optimizations));
        if (agentRunning) {
            b.append(" | experiments ").append(experiments.isEmpty() ? "none yet"
                    : experiments.stream().map(ExperimentSeen::line).collect(Collectors.joining(" / ")));
        }
        b.append(" | memory ").append(MemorySampler.gib(mem.lastBytes())).append(" in ").append(mem.processCount()).append(" processes");
        return b.toString();
    }

    private static String model(LoopState.ModelSeen m) {
        String score = m.r2() != null ? String.format(Locale.ROOT, "R²=%.2f", m.r2())
                : m.scoreThreshold() != null ? String.format(Locale.ROOT, "threshold=%.3f", m.scoreThreshold()) : "";
        return m.name() + "@" + m.node() + " v" + m.version() + (m.published() ? " " : " (rejected) ") + score;
    }

    /** The report; {@code closed[0]} is set to whether the loop closed (an experiment kept and adopted). */
    static String report(List<PlayedPhase> phases, LoopState s, List<Map<String, Object>> opt,
            List<ExperimentSeen> experiments, boolean agentAvailable, MemorySampler mem, boolean[] closed) {
        StringBuilder b = new StringBuilder("\n==== QP demo report ====\n\nPhases played (what the scenario injected):\n");
        for (PlayedPhase p : phases) {
            b.append(String.format(Locale.ROOT, "  %-13s %4d s  %s%n", p.result().step().phase().id(),
                    (p.endMillis() - p.startMillis()) / 1000, p.result().counts().line()));
        }
        b.append("\nAnomalies found against the injected phases (by window time):\n");
        List<LoopState.AnomalySeen> anomalies = s.anomalies();
        List<LoopState.AnomalySeen> unplaced = new ArrayList<>(anomalies);
        for (PlayedPhase p : phases) {
            List<LoopState.AnomalySeen> in = anomalies.stream()
                    .filter(a -> a.endMillis() > p.startMillis() && a.startMillis() < p.endMillis()).toList();
            unplaced.removeAll(in);
            b.append(String.format(Locale.ROOT, "  %-13s %s%n", p.result().step().phase().id(), in.isEmpty() ? "none found"
                    : in.size() + " found: " + in.stream().collect(Collectors.groupingBy(a -> a.kind() + " " + a.node()
                            + (a.type() == null || a.type().isEmpty() ? "" : "/" + a.type()), TreeMap::new,
                            Collectors.counting()))));
        }
        if (!unplaced.isEmpty()) {
            b.append("  outside the phases: ").append(unplaced.size()).append('\n');
        }
        b.append("\nModels:\n");
        if (s.models().isEmpty()) {
            b.append("  none on qp.models (none published yet: the job trains once it has --min-train-samples samples)\n");
        } else {
            b.append("  ").append(s.modelVersions()).append(" versions reported; latest: ")
                    .append(s.models().stream().map(DemoReport::model).collect(Collectors.joining(", "))).append('\n');
        }
        List<LoopState.RecommendationSeen> recs = s.recommendations();
        b.append("\nRecommendations: ").append(recs.size()).append(" (a rule that keeps holding speaks again at "
                + "full confidence, under an id of its own)\n");
        Map<String, List<LoopState.RecommendationSeen>> same = new LinkedHashMap<>();
        recs.forEach(r -> same.computeIfAbsent(String.join(" ", r.node(), r.parameter(), Long.toString(r.current()),
                Long.toString(r.proposed()), r.source()), k -> new ArrayList<>()).add(r));
        for (List<LoopState.RecommendationSeen> group : same.values().stream().limit(12).toList()) {
            LoopState.RecommendationSeen r = group.get(0);
            double low = group.stream().mapToDouble(LoopState.RecommendationSeen::confidence).min().orElse(0);
            double high = group.stream().mapToDouble(LoopState.RecommendationSeen::confidence).max().orElse(0);
            long ids = group.stream().map(LoopState.RecommendationSeen::id).distinct().count();
            b.append(String.format(Locale.ROOT, "  %s %s %s -> %s (%s): %d proposal(s), %d distinct id(s), confidence %s%n",
                    r.node(), r.parameter(), TunableParameter.show(r.parameter(), r.current()),
                    TunableParameter.show(r.parameter(), r.proposed()), r.source(), group.size(), ids,
                    low == high ? String.format(Locale.ROOT, "%.2f", low)
                            : String.format(Locale.ROOT, "%.2f to %.2f", low, high)));
        }
        b.append("\nDecisions (the agent's store, table optimizations):\n");
        if (!agentAvailable) {
            b.append("  no agent (--no-agent): recommendations were not applied\n");
        } else if (opt.isEmpty()) {
            b.append("  the agent recorded no decision\n");
        } else {
            b.append("  ").append(AgentStore.byStatus(opt));
            Map<String, Long> gates = AgentStore.rejectedByGate(opt);
            b.append(gates.isEmpty() ? "" : "; rejected by gate " + gates).append('\n');
        }
        b.append("\nExperiments (the agent's store, table experiments; effect = treatment / control - 1 on the target "
                + "metric, lower is better):\n");
        if (agentAvailable && experiments.isEmpty()) {
            b.append("  none: no recommendation passed the agent's gates\n");
        }
        for (ExperimentSeen e : experiments) {
            b.append("  ").append(e.line()).append('\n');
            String when = when(e, phases);
            if (!when.isEmpty()) {
                b.append("    ").append(when).append('\n');
            }
            if (e.sentence() != null) {
                b.append("    ").append(e.sentence()).append('\n');
            }
        }
        Map<String, Long> verdicts = verdicts(experiments);
        long adopted = experiments.stream().filter(ExperimentSeen::adopted).count();
        b.append("\nPeak memory: ").append(MemorySampler.gib(mem.peakBytes()))
                .append(" (sum of the resident memory of the demo's processes, sampled every 2 s)\n");
        closed[0] = adopted > 0;
        String tally = experiments.isEmpty() ? "no experiment" : "experiments " + verdicts;
        b.append(closed[0] ? "\nThe loop closed: " + adopted + " experiment(s) kept and adopted (" + tally + ").\n"
                : "\nThe loop did NOT close: no experiment was kept (" + tally + ")"
                        + (agentAvailable ? "." : "; no agent: --no-agent.") + "\n");
        return b.toString();
    }

    /** When an experiment started, counted from the start of the phase it started in, and how long it ran. */
    static String when(ExperimentSeen e, List<PlayedPhase> phases) {
        if (e.startedAtMillis() == null) {
            return "";
        }
        long start = e.startedAtMillis();
        String in = phases.stream().filter(p -> p.startMillis() <= start && start < p.endMillis()).findFirst()
                .map(p -> String.format(Locale.ROOT, "%d s into %s", (start - p.startMillis()) / 1000,
                        p.result().step().phase().id()))
                .orElse("after the scenario");
        return "started " + in + (e.endedAtMillis() == null ? ", still running at the end"
                : String.format(Locale.ROOT, ", ended %d s later", (e.endedAtMillis() - start) / 1000));
    }

    /** Experiments by verdict, those without one by status ({@code running}, {@code failed}). */
    static Map<String, Long> verdicts(List<ExperimentSeen> experiments) {
        Map<String, Long> m = new TreeMap<>();
        experiments.forEach(e -> m.merge(e.verdict() != null ? e.verdict() : e.status(), 1L, Long::sum));
        return m;
    }
}
