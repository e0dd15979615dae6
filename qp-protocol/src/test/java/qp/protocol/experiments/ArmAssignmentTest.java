package qp.protocol.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ArmAssignmentTest {

    @Test
    void aSessionKeepsItsArmAndTheShareHoldsOverManySessions() {
        int treated = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            String session = UUID.nameUUIDFromBytes(("s" + i).getBytes()).toString();
            Arm first = ArmAssignment.sessionArm("exp-1", session, 0.2);
            assertThat(ArmAssignment.sessionArm("exp-1", session, 0.2)).isEqualTo(first);
            treated += first == Arm.TREATMENT ? 1 : 0;
        }
        // binomial(20000, 0.2): sd 57; 5 sd either side
        assertThat(treated).isBetween(4000 - 285, 4000 + 285);
    }

    @Test
    void aRampOnlyMovesSessionsFromControlToTreatment() {
        for (int i = 0; i < 5_000; i++) {
            String session = "session-" + i;
            if (ArmAssignment.sessionArm("ramp", session, 0.1) == Arm.TREATMENT) {
                assertThat(ArmAssignment.sessionArm("ramp", session, 0.5)).isEqualTo(Arm.TREATMENT);
            }
        }
    }

    @Test
    void bucketsAreIndependentOfTheArm() {
        Map<Integer, Integer> treatedPerBucket = new HashMap<>();
        for (int i = 0; i < 16_000; i++) {
            String session = "u" + i;
            if (ArmAssignment.sessionArm("exp-b", session, 0.5) == Arm.TREATMENT) {
                treatedPerBucket.merge(ArmAssignment.sessionBucket("exp-b", session), 1, Integer::sum);
            }
        }
        assertThat(treatedPerBucket).hasSize(ArmAssignment.BUCKETS);
        // 8000 treated over 8 buckets: 1000 each, sd about 30
        treatedPerBucket.values().forEach(c -> assertThat(c).isBetween(850, 1150));
    }

    @Test
    void switchbackHasOneBlockOfEachArmInEveryPairAndBothOrdersOccur() {
        int treatmentFirst = 0;
        for (long pair = 0; pair < 200; pair++) {
            Arm a = ArmAssignment.switchbackArm("sb-1", 2 * pair);
            Arm b = ArmAssignment.switchbackArm("sb-1", 2 * pair + 1);
            assertThat(a).isNotEqualTo(b);
            treatmentFirst += a == Arm.TREATMENT ? 1 : 0;
        }
        assertThat(treatmentFirst).isBetween(60, 140);
        assertThat(ArmAssignment.block(1_000, 500, 2_600)).isEqualTo(3);
        assertThat(ArmAssignment.block(1_000, 500, 900)).isZero();
    }

    @Test
    void aSpecNamesWhatIsWrong() {
        ExperimentSpec ok = new ExperimentSpec("e1", "compression_threshold", 0, 1024, 0.1, Assignment.SESSION, 0, 0);
        assertThat(ok.problem()).isNull();
        assertThat(ok.withShare(0.6).problem()).startsWith("treatmentShare");
        assertThat(new ExperimentSpec("e1", "compression_threshold", 0, 1024, 0.1, Assignment.SWITCHBACK, 0, 0)
                .problem()).startsWith("assignment");
        assertThat(new ExperimentSpec("e1", "compression_threshold", 1024, 1024, 0.1, Assignment.SESSION, 0, 0)
                .problem()).startsWith("treatment: equal");
        assertThat(new ExperimentSpec("e1", "max_connections", 100, 150, 0, Assignment.SWITCHBACK, 500, 0)
                .problem()).startsWith("blockMillis");
        assertThat(new ExperimentSpec("e 1", "max_connections", 100, 150, 0, Assignment.SWITCHBACK, 5000, 0)
                .problem()).startsWith("id");
        assertThat(new ExperimentSpec("e1", "nope", 1, 2, 0.1, Assignment.SESSION, 0, 0).problem())
                .startsWith("parameter");
    }
}
