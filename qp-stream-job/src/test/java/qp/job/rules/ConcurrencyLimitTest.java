package qp.job.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import qp.job.analytics.AnalyticsSettings;
import qp.protocol.analytics.WindowStats;
import qp.protocol.params.TunableParameter;
import qp.protocol.params.TunableParams;

/**
 * The concurrency-limit rule against figures the test works out by hand: with the SLO at 200 ms the target is
 * 180 ms, and a queue's latency is taken to grow in proportion to the concurrency in force.
 */
class ConcurrencyLimitTest {
    private static final AnalyticsSettings.Rules SLO_200MS = AnalyticsSettings.Rules.defaults().withSloP99Micros(200_000);
    private final DefaultRules.ConcurrencyLimit rule = new DefaultRules.ConcurrencyLimit();

    /** A window whose p99 is {@code p99Micros} over {@code samples} answered frames. */
    private static WindowStats window(double p99Micros, long samples) {
        return new WindowStats("n1", WindowStats.ALL_TYPES, qp.protocol.analytics.WindowView.TUMBLING, 0, 10_000,
                samples, samples * 100, samples / 10.0, samples * 10.0, 0, 0, samples, p99Micros / 2, p99Micros * 0.9,
                p99Micros, (long) (p99Micros * 1.2), 100, 10, 120, 200, Map.of(), Map.of(), null);
    }

    private static NodeView node(long limit, int open) {
        TunableParams p = TunableParams.defaults().with(Map.of(TunableParameter.MAX_CONNECTIONS, limit));
        return new NodeView(p, 3, open, 0, 0);
    }

    private Optional<Proposal> evaluate(double p99Micros, long limit, int open) {
        return rule.evaluate(window(p99Micros, 1000), node(limit, open), SLO_200MS);
    }

    @Test
    void overTheSloTheLimitFallsToWhatTheOpenConnectionsWouldNeedForTheTarget() {
        // 1000 allowed, 200 open at p99 500 ms: 200 x 180 / 500 = 72
        Proposal p = evaluate(500_000, 1000, 200).orElseThrow();

        assertThat(p.proposedValue()).isEqualTo(72);
        assertThat(p.targetMetric()).isEqualTo("latency_p99");
        assertThat(p.expectedImprovement()).isCloseTo(1 - 180.0 / 500, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(p.evidence()).contains("200 connections in force").contains("= 72");
    }

    @Test
    void aLimitThatBindsIsTheConcurrencyInForce() {
        // 80 allowed and open (120 would come): 80 x 180 / 240 = 60
        assertThat(evaluate(240_000, 80, 80).orElseThrow().proposedValue()).isEqualTo(60);
    }

    @Test
    void oneStepLowersTheConcurrencyInForceByAtMostFour() {
        // 200 x 180 / 2000 = 18, but 200 / 4 = 50 at most at once
        assertThat(evaluate(2_000_000, 1000, 200).orElseThrow().proposedValue()).isEqualTo(50);
    }

    @Test
    void underTheTargetABindingLimitRisesTowardItByAtMostHalf() {
        // 72 allowed and open at p99 150 ms: 72 x 180 / 150 = 86.4 -> 86
        assertThat(evaluate(150_000, 72, 72).orElseThrow().proposedValue()).isEqualTo(86);
        // at p99 60 ms the projection 216 is more than x1.5: 108
        Proposal p = evaluate(60_000, 72, 72).orElseThrow();
        assertThat(p.proposedValue()).isEqualTo(108);
        assertThat(p.targetMetric()).isEqualTo("refusals");
    }

    @Test
    void noChangeBetweenTheTargetAndTheSloOrWhenTheLimitDoesNotBindOrOnThinData() {
        assertThat(evaluate(190_000, 72, 72)).as("between 180 and 200 ms: where it should be").isEmpty();
        assertThat(evaluate(60_000, 1000, 200)).as("fast, and the limit binds nothing: raising it changes nothing")
                .isEmpty();
        assertThat(rule.evaluate(window(500_000, 99), node(1000, 200), SLO_200MS)).as("99 answered frames").isEmpty();
        assertThat(evaluate(500_000, 1000, 0)).as("no connection open").isEmpty();
    }

    @Test
    void theLimitNeverFallsBelowTheFloorNorFallsWithNoMoreConnectionsThanThatInForce() {
        // 8 sessions at p99 600 ms (a CPU-starved machine): 8 x 180 / 600 = 2.4, but 8 <= the floor of 20
        assertThat(evaluate(600_000, 100, 8)).as("8 in force, floor 20").isEmpty();
        assertThat(evaluate(600_000, 100, 20)).as("20 in force, floor 20").isEmpty();
        // 30 in force at p99 600 ms: 30 x 180 / 600 = 9, at most /4 = 7.5, but not below 20
        assertThat(evaluate(600_000, 100, 30).orElseThrow().proposedValue()).isEqualTo(20);
        AnalyticsSettings.Rules floor5 = SLO_200MS.withMinConnectionLimit(5);
        assertThat(rule.evaluate(window(600_000, 1000), node(100, 8), floor5).orElseThrow().proposedValue())
                .as("8 in force, floor 5: max(8 / 4, 8 x 180 / 600 = 2.4) = 2, raised to the floor").isEqualTo(5);
    }
}
