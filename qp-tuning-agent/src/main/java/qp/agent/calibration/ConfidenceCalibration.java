package qp.agent.calibration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Confidence calibrated on the store's outcomes, per source (rules, model): once a source has {@code minOutcomes}
 * decided outcomes, a raw confidence is replaced by the isotonic fit of kept on raw confidence over that source's
 * history; below that the raw one stands. The store is read at each call, so a new outcome counts at once.
 */
public final class ConfidenceCalibration {
    private final OutcomeStore store;
    private final int minOutcomes;

    public ConfidenceCalibration(OutcomeStore store, int minOutcomes) {
        this.store = store;
        this.minOutcomes = minOutcomes;
    }

    /** No history: every confidence stays raw (operator tools that have no store to read). */
    public static ConfidenceCalibration none() {
        return new ConfidenceCalibration(() -> new OutcomeStore.Outcomes(List.of(), 0, 0), Integer.MAX_VALUE);
    }

    public int minOutcomes() {
        return minOutcomes;
    }

    public CalibratedConfidence of(String source, double raw) {
        List<Outcome> history = bySource(store.decided().decided()).getOrDefault(source, List.of());
        if (history.size() < minOutcomes) {
            return CalibratedConfidence.raw(raw, source, history.size(), minOutcomes);
        }
        return new CalibratedConfidence(raw, IsotonicFit.of(history).at(raw), true, source, history.size(),
                minOutcomes);
    }

    /** The reliability of every source and of all together, for the report and the dashboard. */
    public CalibrationReport report() {
        OutcomeStore.Outcomes all = store.decided();
        List<CalibrationReport.Source> sources = new ArrayList<>();
        bySource(all.decided()).forEach((source, outcomes) -> sources.add(source(source, outcomes)));
        return new CalibrationReport(minOutcomes, all.stopped(), all.failedToStart(), CalibrationReport.LEFT_OUT,
                source("all", all.decided()), sources);
    }

    private CalibrationReport.Source source(String name, List<Outcome> outcomes) {
        boolean perSource = !name.equals("all");
        boolean active = perSource && outcomes.size() >= minOutcomes;
        String note = !perSource ? "every source together; the gate calibrates each source on its own"
                : active ? String.format("calibration active: the confidence gate compares the isotonic fit over "
                        + "these %d outcomes", outcomes.size())
                : String.format("calibration not active yet: %d of %d decided outcomes; the confidence gate compares "
                        + "the raw confidence", outcomes.size(), minOutcomes);
        int kept = (int) outcomes.stream().filter(Outcome::kept).count();
        return new CalibrationReport.Source(name, outcomes.size(), kept, active, note, Reliability.of(outcomes),
                active ? IsotonicFit.of(outcomes).blocks() : List.of());
    }

    private static Map<String, List<Outcome>> bySource(List<Outcome> outcomes) {
        Map<String, List<Outcome>> out = new LinkedHashMap<>();
        outcomes.stream().sorted(java.util.Comparator.comparing(Outcome::source))
                .forEach(o -> out.computeIfAbsent(o.source(), s -> new ArrayList<>()).add(o));
        return out;
    }
}
