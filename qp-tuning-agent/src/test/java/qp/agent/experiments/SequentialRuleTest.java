package qp.agent.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import qp.agent.testing.SimulatedArms;

class SequentialRuleTest {
    private final SequentialRule rule = new SequentialRule(0.95, 0.999, 0.05);

    @Test
    void aClearGainStopsEarlyOnlyAfterTheMinimumDuration() {
        ArmComparison big = new SimulatedArms(11, 200, 0.5, -0.5, 10, false).comparison();
        assertThat(rule.look(big, 10_000, 30_000, 300_000).verdict()).isNull();
        SequentialRule.Look after = rule.look(big, 30_000, 30_000, 300_000);
        assertThat(after.verdict()).isEqualTo(ExperimentVerdict.KEPT);
        assertThat(after.estimate().level()).isEqualTo(0.999);
    }

    @Test
    void clearHarmStopsAtAnyLook() {
        ArmComparison harm = new SimulatedArms(12, 200, 0.5, 0.6, 10, false).comparison();
        SequentialRule.Look look = rule.look(harm, 1_000, 30_000, 300_000);
        assertThat(look.verdict()).isEqualTo(ExperimentVerdict.HARM);
    }

    @Test
    void noEffectIsDecidedAtTheMaximumDurationOnTheNinetyFivePercentInterval() {
        ArmComparison none = new SimulatedArms(13, 60, 0.5, 0.0, 10, true).comparison();
        assertThat(rule.look(none, 100_000, 30_000, 300_000).verdict()).isNull();
        SequentialRule.Look end = rule.look(none, 300_000, 30_000, 300_000);
        assertThat(end.verdict()).isEqualTo(ExperimentVerdict.NO_EFFECT);
        assertThat(end.estimate().level()).isEqualTo(0.95);
    }

    @Test
    void aGainSmallerThanTheMinimumIsNoEffect() {
        // a true -2% is real but below the 5% the rule asks for
        ArmComparison small = new SimulatedArms(14, 400, 0.5, -0.02, 10, false).comparison();
        assertThat(rule.look(small, 300_000, 30_000, 300_000).verdict()).isEqualTo(ExperimentVerdict.NO_EFFECT);
    }

    @Test
    void withoutDataInBothArmsItTimesOut() {
        ArmComparison empty = new ArmComparison(qp.protocol.experiments.ArmMetric.WIRE_BYTES_PER_RAW_BYTE);
        SequentialRule.Look end = rule.look(empty, 300_000, 30_000, 300_000);
        assertThat(end.verdict()).isEqualTo(ExperimentVerdict.TIMED_OUT);
        assertThat(end.why()).contains("control 0, treatment 0");
    }
}
