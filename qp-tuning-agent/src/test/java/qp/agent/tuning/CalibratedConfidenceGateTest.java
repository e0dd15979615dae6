package qp.agent.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import qp.agent.config.AgentOptions;
import qp.agent.experiments.ExperimentVerdict;
import qp.agent.testing.OutcomeRows;
import qp.protocol.analytics.Recommendation;

/**
 * The confidence gate on a real store and a real gateway: below {@code --calibration-min-outcomes} decided outcomes of
 * a source it compares the raw confidence; from then on the isotonic fit over that source's history, and the recorded
 * decision names both numbers. The histories are drawn here with known shares kept.
 */
class CalibratedConfidenceGateTest extends RealGatewayLoop {

    OutcomeRows rows;

    /** {@code n} outcomes of {@code source} at {@code confidence}, {@code kept} of them kept, in a seeded order. */
    void history(String source, double confidence, int n, int kept, long seed) throws Exception {
        List<Boolean> verdicts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            verdicts.add(i < kept);
        }
        Collections.shuffle(verdicts, new Random(seed));
        for (int i = 0; i < n; i++) {
            rows.decided(source, confidence, verdicts.get(i) ? ExperimentVerdict.KEPT : ExperimentVerdict.NO_EFFECT,
                    T0 - (n - i) * 3_600_000L);
        }
    }

    static Recommendation rec(String source, long proposed, double confidence, long atMs) {
        String id = Recommendation.idFor(NODE, "compression_threshold", 0, proposed, 1, source, "test-" + atMs);
        return new Recommendation(id, NODE, "compression_threshold", 0, proposed, confidence, 0.3, "bytes", source,
                source + "-v1", "test", "test evidence", 1, atMs);
    }

    @Test
    void aModelAtRawConfidence085WhoseLikeWereKept30PercentOfTheTimeIsRejectedOnceThereAreEnoughOutcomes()
            throws Exception {
        h = new LoopHarness(dir.resolve("agent.db"), config.with(AgentOptions.MODE, AgentOptions.Mode.ADVISE), clock);
        rows = new OutcomeRows(h.db);
        // 29 model recommendations at 0.85 before, 9 of them kept (31%): one short of the 30 calibration needs
        history("model", 0.85, 29, 9, 7);
        Recommendation early = rec("model", 1024, 0.85, T0);
        h.source.offer(early);
        h.loop.tick();
        assertThat(h.get(early.id()).status()).as("below 30 outcomes the raw 0.85 passes").isEqualTo(Status.ADVISED);
        assertThat(h.get(early.id()).reason()).doesNotContain("calibrated");

        // the 30th, not kept: 9 of 30 kept, so the history says 0.30 where the model says 0.85
        rows.decided("model", 0.85, ExperimentVerdict.HARM, T0 - 60_000);
        double shareKept = 9 / 30.0;
        Recommendation later = rec("model", 2048, 0.85, T0 + 1);
        h.source.offer(later);
        h.loop.tick();
        Optimization o = h.get(later.id());
        assertThat(o.status()).isEqualTo(Status.REJECTED);
        assertThat(o.gate()).isEqualTo(Gate.CONFIDENCE);
        assertThat(o.reason()).endsWith(String.format("rejected by gate confidence: calibrated confidence %.2f (raw "
                + "0.85, isotonic fit over 30 model outcomes) is below 0.80", shareKept));
    }

    @Test
    void aSourceIsCalibratedOnItsOwnHistoryAndAPassingDecisionRecordsBothConfidences() throws Exception {
        h = new LoopHarness(dir.resolve("agent.db"), config, clock);
        rows = new OutcomeRows(h.db);
        history("model", 0.75, 30, 3, 11); // the model's 0.75 was kept 10% of the time ...
        history("rules", 0.75, 30, 27, 13); // ... the rules' 0.75 90% of the time: raw 0.75 alone would not pass
        Recommendation rules = rec("rules", 1024, 0.75, T0);
        h.source.offer(rules);
        h.loop.tick();
        Optimization o = h.get(rules.id());
        assertThat(o.status()).as(o.reason()).isEqualTo(Status.APPLIED);
        assertThat(h.events(rules.id())).filteredOn(e -> e.startsWith("applying by agent: "))
                .singleElement().asString().contains("starting experiment x-" + rules.id())
                .endsWith(String.format("| calibrated confidence %.2f (raw 0.75, isotonic fit over 30 rules outcomes) "
                        + "is at least 0.80", 27 / 30.0));
        assertThat(h.applier.starts()).isEqualTo(1);
    }
}
