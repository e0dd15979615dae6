package qp.agent.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import qp.protocol.analytics.ExperimentStats;
import qp.protocol.params.TunableParameter;
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
    void aFewSlowSessionsAreNotAHarmOfTheTreatmentButAllOfItsBucketsSlowerAre() {
        List<ExperimentStats.Latency> tail = List.of(lat("control", 500, 6_700), lat("treatment", 500, 35_000));
        // control's 8 buckets ~1000 us; treatment's alike but two starved ones at 9000 us
        List<ExperimentStats.Cell> fewSlow = new java.util.ArrayList<>();
        List<ExperimentStats.Cell> allSlow = new java.util.ArrayList<>();
        for (int b = 0; b < 8; b++) {
            fewSlow.add(latencyCell("control", b, 1_000 + 20 * b));
            allSlow.add(latencyCell("control", b, 1_000 + 20 * b));
            fewSlow.add(latencyCell("treatment", b, b < 2 ? 9_000 : 1_010 + 20 * b));
            allSlow.add(latencyCell("treatment", b, 4_000 + 25 * b));
        }
        ExperimentStats noise = new ExperimentStats("edge-1", "x", 0, 1000, fewSlow, tail, List.of());
        assertThat(Guards.bucketWelchT(noise, noise)).isLessThan(Guards.GROUP_T);
        assertThat(guards.breach(both, noise, noise)).isEmpty();
        ExperimentStats harm = new ExperimentStats("edge-1", "x", 0, 1000, allSlow, tail, List.of());
        assertThat(guards.breach(both, harm, harm)).hasValueSatisfying(s -> assertThat(s).contains("buckets' mean "
                + "latency t"));
    }

    private static ExperimentStats.Cell latencyCell(String arm, long bucket, long meanMicros) {
        return new ExperimentStats.Cell(arm, bucket, "COMMAND", "IN", "small", 100, 0, 0, 0, 0, 100, 100 * meanMicros);
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

    /** SLO p99 50 ms, error rate 1%, refusals 5%; the relative guards far away, so only the SLO can break. */
    private final Guards slo = new Guards(100, 1_000_000, 1, 50, new Guards.ServiceLevels(50_000, 0.01, 0.05));

    @Test
    void aTreatmentThatBreaksTheP99SloThatControlKeepsStops() {
        List<ExperimentStats.Cell> cells = new java.util.ArrayList<>();
        for (int b = 0; b < 8; b++) {
            cells.add(latencyCell("control", b, 20_000 + 100 * b));
            cells.add(latencyCell("treatment", b, 30_000 + 100 * b)); // every bucket slower: a real shift
        }
        ExperimentStats over = new ExperimentStats("edge-1", "x", 0, 1000, cells,
                List.of(lat("control", 500, 45_000), lat("treatment", 500, 61_000)), List.of());
        assertThat(slo.breach(List.of(), over, over)).hasValueSatisfying(s -> assertThat(s)
                .startsWith("guard slo_p99 broke").contains("61000 us over the SLO 50000 us").contains("45000 us"));

        ExperimentStats bothOver = new ExperimentStats("edge-1", "x", 0, 1000, cells,
                List.of(lat("control", 500, 55_000), lat("treatment", 500, 61_000)), List.of());
        assertThat(slo.breach(List.of(), bothOver, bothOver)).as("control breaks it too: not the change's doing")
                .isEmpty();
        ExperimentStats within = new ExperimentStats("edge-1", "x", 0, 1000, cells,
                List.of(lat("control", 500, 20_000), lat("treatment", 500, 49_000)), List.of());
        assertThat(slo.breach(List.of(), within, within)).as("slower, but within the SLO").isEmpty();
        assertThat(guards.breach(List.of(), over, over)).as("no SLO declared").isEmpty();
    }

    @Test
    void aTailOverTheSloFromAFewSlowSessionsIsNoise() {
        List<ExperimentStats.Cell> cells = new java.util.ArrayList<>();
        for (int b = 0; b < 8; b++) {
            cells.add(latencyCell("control", b, 20_000 + 100 * b));
            cells.add(latencyCell("treatment", b, b < 1 ? 90_000 : 20_050 + 100 * b));
        }
        ExperimentStats w = new ExperimentStats("edge-1", "x", 0, 1000, cells,
                List.of(lat("control", 500, 45_000), lat("treatment", 500, 61_000)), List.of());
        assertThat(Guards.bucketWelchT(w, w)).isLessThan(Guards.GROUP_T);
        assertThat(slo.breach(List.of(), w, w)).isEmpty();
    }

    @Test
    void errorAndRefusalRatesOverTheirSloWhileControlKeepsThemStop() {
        ExperimentStats errors = window(List.of(), 5, 15); // 0.5% against 1.5% of 1000 frames
        assertThat(slo.breach(List.of(), errors, errors)).hasValueSatisfying(s -> assertThat(s)
                .startsWith("guard slo_error_rate broke: treatment 1.50% of 1000 frames over the SLO 1.00%"));
        ExperimentStats refused = new ExperimentStats("edge-1", "x", 0, 1000, List.of(
                new ExperimentStats.Cell("control", 0, "COMMAND", "IN", "small", 1000, 0, 0, 20, 20, 0, 0),
                new ExperimentStats.Cell("treatment", 1, "COMMAND", "IN", "small", 1000, 0, 0, 80, 80, 0, 0)),
                List.of(), List.of());
        assertThat(slo.breach(List.of(), refused, refused)).as("refusals are not errors, but have their own SLO")
                .hasValueSatisfying(s -> assertThat(s).startsWith("guard slo_refusal_rate broke: treatment 8.00%"));
        ExperimentStats bothOver = window(List.of(), 20, 30);
        assertThat(slo.breach(List.of(), bothOver, bothOver)).isEmpty();

        // a lower max_connections refuses on purpose: its refusals are its cost, and only its latency judges it
        TunableParameter limit = TunableParameter.MAX_CONNECTIONS;
        assertThat(slo.breach(limit.goalFor(200, 72), refused, refused)).as("a lower limit sheds load").isEmpty();
        assertThat(slo.breach(limit.goalFor(72, 108), refused, refused)).as("a higher limit is held to it")
                .hasValueSatisfying(s -> assertThat(s).startsWith("guard slo_refusal_rate broke"));
        assertThat(slo.breach(limit.goalFor(200, 72), errors, errors)).as("errors still guard a lower limit")
                .hasValueSatisfying(s -> assertThat(s).startsWith("guard slo_error_rate broke"));
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
