package qp.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Requests go to the connections in turn; one due while all are full is refused (the pacer counts it missed). */
class RatePacerTest {
    private static final class CountingWire implements Wire {
        int sent;

        @Override
        public void send(ByteBuffer frame) {
            sent++;
        }

        @Override
        public void close(int code) {
        }
    }

    @Test
    void offersGoRoundTheConnectionsAndStopWhenAllAreFull() {
        LoadStats stats = new LoadStats();
        RequestEncoder encoder = new RequestEncoder(64, 0, false);
        List<LoadSession> sessions = new ArrayList<>();
        List<CountingWire> wires = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            LoadSession s = new LoadSession(stats, encoder, OpMix.parse("echo=1"), 2, i);
            CountingWire w = new CountingWire();
            s.attach(w);
            s.startPaced();
            sessions.add(s);
            wires.add(w);
        }
        RatePacer pacer = new RatePacer(sessions, 1, stats);
        for (int i = 0; i < 6; i++) { // 3 connections x 2 in flight: six requests fit, one each in turn
            assertThat(pacer.offerToNext()).isTrue();
            assertThat(wires.get(i % 3).sent).isEqualTo(i / 3 + 1);
        }
        assertThat(pacer.offerToNext()).isFalse(); // nothing was answered: every connection is full
        assertThat(sessions).allSatisfy(s -> assertThat(s.inFlight()).isEqualTo(2));
    }
}
