package qp.agent.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import qp.agent.testing.SimulatedArms;
import qp.protocol.analytics.ExperimentStats;
import qp.protocol.experiments.ArmMetric;

class ArmComparisonTest {

    @Test
    void thePointEstimateIsTheStratifiedEffectOfTheGeneratedData() {
        SimulatedArms sim = new SimulatedArms(7, 200, 0.5, -0.4, 12, false);
        Estimate e = sim.comparison().estimate(0.95);
        assertThat(e).isNotNull();
        assertThat(e.effect()).isCloseTo(sim.observedEffect(), within(1e-9));
        assertThat(e.effect()).isCloseTo(-0.4, within(0.05));
        assertThat(e.low()).isLessThan(e.effect());
        assertThat(e.high()).isGreaterThan(e.effect());
        assertThat(e.unitsControl()).isEqualTo(8);
        assertThat(e.unitsTreatment()).isEqualTo(8);
    }

    /**
     * Over many simulated experiments with no effect, while the load doubles and the type mix shifts halfway, the 95%
     * interval excludes zero about 5% of the time; with a true effect of -20% it covers the truth about 95% of the
     * time. Seeds are fixed, so the counts are the same at every run.
     */
    @Test
    void intervalsHoldTheirLevelUnderAMixShiftAndSessionsThatDiffer() {
        int runs = 200;
        int falseAlarms = 0;
        int covered = 0;
        for (int i = 0; i < runs; i++) {
            Estimate nothing = new SimulatedArms(1_000 + i, 60, 0.5, 0.0, 10, true).comparison().estimate(0.95);
            if (nothing.low() > 0 || nothing.high() < 0) {
                falseAlarms++;
            }
            Estimate some = new SimulatedArms(5_000 + i, 60, 0.5, -0.2, 10, true).comparison().estimate(0.95);
            if (some.low() <= -0.2 && -0.2 <= some.high()) {
                covered++;
            }
        }
        // binomial(200, 0.05): mean 10, sd 3.1; allow the jackknife's slight liberalness with few buckets
        assertThat(falseAlarms).isLessThanOrEqualTo(22);
        assertThat(covered).isGreaterThanOrEqualTo(178);
    }

    @Test
    void withFewerThanTwoBucketsPerArmThereIsNoInterval() {
        ExperimentStats w = new ExperimentStats("edge-1", "x", 0, 1000, List.of(
                cell("control", 0, 100, 100), cell("control", 1, 100, 100), cell("treatment", 3, 50, 100)),
                List.of(), List.of());
        ArmComparison c = new ArmComparison(ArmMetric.WIRE_BYTES_PER_RAW_BYTE).add(w);
        assertThat(c.estimate(0.95)).isNull();
        assertThat(c.units(qp.protocol.experiments.Arm.TREATMENT)).isEqualTo(1);
    }

    @Test
    void strataThatOnlyOneArmSawDoNotCount() {
        // control sees small and large payloads, treatment only small: only "small" is compared
        ExperimentStats w = new ExperimentStats("edge-1", "x", 0, 1000, List.of(
                cell("control", 0, 100, 100), cell("control", 1, 100, 100),
                new ExperimentStats.Cell("control", 0, "ACK", "OUT", "large", 1, 10, 100, 0, 0, 0, 0),
                cell("treatment", 2, 50, 100), cell("treatment", 3, 50, 100)), List.of(), List.of());
        Estimate e = new ArmComparison(ArmMetric.WIRE_BYTES_PER_RAW_BYTE).add(w).estimate(0.95);
        assertThat(e.effect()).isCloseTo(-0.5, within(1e-9));
    }

    @Test
    void studentsQuantileWidensWithFewUnits() {
        assertThat(ArmComparison.quantile(1, 0.95)).isCloseTo(12.706, within(0.001));
        assertThat(ArmComparison.quantile(7, 0.95)).isCloseTo(2.365, within(0.001));
        assertThat(ArmComparison.quantile(500, 0.95)).isCloseTo(1.960, within(0.001));
    }

    private static ExperimentStats.Cell cell(String arm, long bucket, long wire, long raw) {
        return new ExperimentStats.Cell(arm, bucket, "ACK", "OUT", "small", 1, wire, raw, 0, 0, 0, 0);
    }
}
