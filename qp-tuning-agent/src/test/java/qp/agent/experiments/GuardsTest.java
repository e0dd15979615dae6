package qp.agent.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import qp.protocol.analytics.ExperimentStats;
import qp.protocol.experiments.ArmMetric;

class GuardsTest {
    private final Guards guards = new Guards(0.25, 2_000, 0.01, 50);
    private final List<ArmMetric> both = List.of(ArmMetric.LATENCY_P99, ArmMetric.ERROR_RATE);

    @Test
    void aP99MuchHigherInTreatmentBreaksTheGuard() {
        ExperimentStats w = window(List.of(lat("control", 200, 1_000), lat("treatment", 200, 9_000)), 0, 0);
        assertThat(guards.breach(both, w, w)).hasValueSatisfying(s -> assertThat(s).startsWith("guard latency_p99"));
    }

    @Test
    void aTailThatRoseWithoutTheMedianIsNoise() {
        ExperimentStats w = window(List.of(
                new ExperimentStats.Latency("control", "COMMAND", "IN", "small", 500, 600, 1_200, 1_781),
                new ExperimentStats.Latency("treatment", "COMMAND", "IN", "small", 500, 610, 1_300, 4_989)), 0, 0);
        assertThat(guards.breach(both, w, w)).isEmpty();
    }

    @Test
    void aSmallAbsoluteRiseOrTooFewSamplesDoesNot() {
        ExperimentStats tiny = window(List.of(lat("control", 200, 100), lat("treatment", 200, 400)), 0, 0);
        assertThat(guards.breach(both, tiny, tiny)).isEmpty(); // x4 but only +300 us
        ExperimentStats few = window(List.of(lat("control", 10, 1_000), lat("treatment", 10, 90_000)), 0, 0);
        assertThat(guards.breach(both, few, few)).isEmpty();
    }

    @Test
    void errorsInTreatmentBeyondTheMarginBreakTheGuard() {
        ExperimentStats w = window(List.of(), 1, 30);
        assertThat(guards.breach(both, w, w)).hasValueSatisfying(s -> assertThat(s).startsWith("guard error_rate"));
        ExperimentStats ok = window(List.of(), 1, 2);
        assertThat(guards.breach(both, ok, ok)).isEmpty();
    }

    private static ExperimentStats.Latency lat(String arm, long samples, double p99) {
        return new ExperimentStats.Latency(arm, "COMMAND", "IN", "small", samples, p99 / 2, p99 * 0.9, p99);
    }

    private static ExperimentStats window(List<ExperimentStats.Latency> latency, long controlErrors, long treatmentErrors) {
        return new ExperimentStats("edge-1", "x", 0, 1000, List.of(
                new ExperimentStats.Cell("control", 0, "COMMAND", "IN", "small", 1000, 0, 0, controlErrors, 0, 0, 0),
                new ExperimentStats.Cell("treatment", 1, "COMMAND", "IN", "small", 1000, 0, 0, treatmentErrors, 0, 0, 0)),
                latency, List.of());
    }
}
