package qp.gateway.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static qp.gateway.experiments.ExperimentState.NONE;
import static qp.gateway.experiments.ExperimentState.RUNNING;

import java.util.Map;
import org.junit.jupiter.api.Test;
import qp.gateway.experiments.ExperimentState.Signal;

/** The arrows of ExperimentState's drawing, and nothing else. */
class ExperimentStateTest {

    @Test
    void onlyTheDrawnTransitionsExist() {
        assertMoves(NONE, Map.of(Signal.START, RUNNING));
        assertMoves(RUNNING, Map.of(Signal.RAMP, RUNNING, Signal.END, NONE, Signal.ADOPT, NONE));
    }

    private static void assertMoves(ExperimentState from, Map<Signal, ExperimentState> arrows) {
        for (Signal s : Signal.values()) {
            assertThat(from.on(s)).as(from + " on " + s).isEqualTo(arrows.get(s));
        }
    }
}
