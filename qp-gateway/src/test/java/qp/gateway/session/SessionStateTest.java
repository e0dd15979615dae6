package qp.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static qp.gateway.session.SessionState.AWAITING_AUTH;
import static qp.gateway.session.SessionState.CLOSED;
import static qp.gateway.session.SessionState.CLOSING;
import static qp.gateway.session.SessionState.DRAINING;
import static qp.gateway.session.SessionState.OPEN;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The arrows of SessionState's drawing, and nothing else. */
class SessionStateTest {

    @Test
    void onlyTheDrawnTransitionsAreAllowed() {
        assertMoves(AWAITING_AUTH, EnumSet.of(OPEN, DRAINING, CLOSING, CLOSED));
        assertMoves(OPEN, EnumSet.of(DRAINING, CLOSING, CLOSED));
        assertMoves(DRAINING, EnumSet.of(CLOSING, CLOSED));
        assertMoves(CLOSING, EnumSet.of(CLOSED));
        assertMoves(CLOSED, EnumSet.noneOf(SessionState.class));
    }

    @Test
    void framesAreHandledBeforeShutdownAndRepliesGoOutUntilTheCloseFrame() {
        assertThat(EnumSet.allOf(SessionState.class)).filteredOn(SessionState::handlesFrames)
                .containsExactlyInAnyOrder(AWAITING_AUTH, OPEN);
        assertThat(EnumSet.allOf(SessionState.class)).filteredOn(SessionState::sendsReplies)
                .containsExactlyInAnyOrder(AWAITING_AUTH, OPEN, DRAINING);
    }

    private static void assertMoves(SessionState from, Set<SessionState> allowed) {
        for (SessionState to : SessionState.values()) {
            assertThat(from.canMoveTo(to)).as(from + " -> " + to).isEqualTo(allowed.contains(to));
        }
    }
}
