package qp.gateway.time;

import org.junit.jupiter.api.Test;
import qp.testsupport.arch.ClockReads;

/** No class of qp-gateway reads the system clock itself: time comes from the injected clock (issue 21). */
class ClockUseTest {
    @Test
    void timeIsReadOnlyThroughTheInjectedClock() {
        ClockReads.assertOnlyThroughTheClock("qp.gateway", GatewayClock.class);
    }
}
