package qp.job.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutlierRunTest {

    /** Indexes of the windows that raise an anomaly, for a sequence of above (1) / at-or-below (0) the threshold. */
    private static List<Integer> raised(int... above) {
        OutlierRun run = OutlierRun.quiet();
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < above.length; i++) {
            OutlierRun next = run.next(above[i] == 1);
            if (next.raisedFrom(run)) {
                out.add(i);
            }
            run = next;
        }
        return out;
    }

    @Test
    void aLoneWindowAboveTheThresholdIsNoIncident() {
        assertThat(raised(0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0)).isEmpty();
    }

    @Test
    void twoOfTheLastThreeRaiseOnceUntilThreeCalmWindowsEndTheIncident() {
        // opens at 2 (windows 0 and 2 above), stays open through short calm spells, ends after 3 calm (8-10),
        // opens again at 12
        assertThat(raised(1, 0, 1, 1, 0, 1, 0, 1, 0, 0, 0, 1, 1, 1)).containsExactly(2, 12);
    }

    @Test
    void aLongIncidentIsOneAnomaly() {
        assertThat(raised(1, 1, 1, 1, 1, 1, 1, 1, 1, 1)).containsExactly(1);
    }
}
