package qp.bench.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import qp.bench.scenario.ScenarioRunner;
import qp.protocol.params.TunableParameter;

/**
 * The demo's status line and its final report, from what the topics and the agent's store hold. The loop is closed
 * when at least one change was applied and verified.
 */
final class DemoReport {
    /** A phase with the wall-clock span it was played in. */
    record PlayedPhase(ScenarioRunner.PhaseResult result, long startMillis, long endMillis) {
    }

    private DemoReport() {
    }

    static String status(String clock, String phase, LoopState s, List<Map<String, Object>> optimizations,
            boolean agentRunning, MemorySampler mem) {
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
                java.util.TreeMap::new, Collectors.counting()));
        b.append(" | recommendations ").append(recs.size());
        if (!bySource.isEmpty()) {
            b.append(' ').append(bySource);
        }
        b.append(" | agent ");
        b.append(!agentRunning ? "not running" : optimizations.isEmpty() ? "no decisions yet" : AgentStore.byStatus(optimizations));
        b.append(" | memory ").append(MemorySampler.gib(mem.lastBytes())).append(" in ").append(mem.processCount()).append(" processes");
        return b.toString();
    }

    private static String model(LoopState.ModelSeen m) {
        String score = m.r2() != null ? String.format(Locale.ROOT, "R²=%.2f", m.r2())
                : m.scoreThreshold() != null ? String.format(Locale.ROOT, "threshold=%.3f", m.scoreThreshold()) : "";
        return m.name() + "@" + m.node() + " v" + m.version() + (m.published() ? " " : " (rejected) ") + score;
    }

    /** The report; {@code closed[0]} is set to whether the loop closed. */
    static String report(List<PlayedPhase> phases, LoopState s, List<Map<String, Object>> opt, boolean agentAvailable,
            MemorySampler mem, boolean[] closed) {
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
                            + (a.type() == null || a.type().isEmpty() ? "" : "/" + a.type()), java.util.TreeMap::new,
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
        b.append("\nRecommendations: ").append(recs.size()).append('\n');
        for (LoopState.RecommendationSeen r : recs.subList(0, Math.min(12, recs.size()))) {
            b.append(String.format(Locale.ROOT, "  %s %s %s -> %s (%s, confidence %.2f)%n", r.node(), r.parameter(),
                    TunableParameter.show(r.parameter(), r.current()), TunableParameter.show(r.parameter(), r.proposed()),
                    r.source(), r.confidence()));
        }
        b.append("\nChanges (the agent's store):\n");
        long verified = 0;
        long rolledBack = 0;
        if (!agentAvailable) {
            b.append("  no agent (--no-agent): recommendations were not applied\n");
        } else if (opt.isEmpty()) {
            b.append("  the agent recorded no decision\n");
        } else {
            b.append("  decisions: ").append(AgentStore.byStatus(opt)).append('\n');
            for (Map<String, Object> o : opt) {
                String status = String.valueOf(o.get("status"));
                if (!List.of("applied", "verified", "rolled_back", "applying", "failed").contains(status)) {
                    continue;
                }
                verified += status.equals("verified") ? 1 : 0;
                rolledBack += status.equals("rolled_back") ? 1 : 0;
                String node = String.valueOf(o.get("node_id"));
                long at = o.get("applied_at_ms") instanceof Number n ? n.longValue() : 0;
                double before = at == 0 ? Double.NaN : s.bytesPerFrame(node, at - 60_000, at);
                double after = at == 0 ? Double.NaN : s.bytesPerFrame(node, at + 1, at + 60_000);
                b.append(String.format(Locale.ROOT, "  %s %s %s -> %s: %s; %s before %s, after %s; bytes per frame (all frames, "
                                + "60 s either side) %.0f -> %.0f%n    %s%n", node, o.get("parameter"),
                        value(o, "current_value"), value(o, "proposed_value"), status, o.get("target_metric"), metric(o, "before_metric"), metric(o, "after_metric"),
                        before, after, o.get("reason")));
            }
        }
        b.append("\nRollbacks: ").append(rolledBack).append('\n');
        b.append("Peak memory: ").append(MemorySampler.gib(mem.peakBytes()))
                .append(" (sum of the resident memory of the demo's processes, sampled every 2 s)\n");
        closed[0] = verified > 0;
        b.append(closed[0] ? "\nThe loop closed: " + verified + " change(s) applied and verified.\n"
                : "\nThe loop did NOT close: no change was applied and verified"
                        + (agentAvailable ? "." : " (no agent: --no-agent).") + "\n");
        return b.toString();
    }

    private static String value(Map<String, Object> optimization, String column) {
        return optimization.get(column) instanceof Number n
                ? TunableParameter.show(String.valueOf(optimization.get("parameter")), n.longValue())
                : String.valueOf(optimization.get(column));
    }

    private static String metric(Map<String, Object> optimization, String column) {
        return optimization.get(column) instanceof Number n ? String.format(Locale.ROOT, "%.1f", n.doubleValue()) : "-";
    }
}
