package qp.agent.tuning;

import java.util.HashMap;
import java.util.Map;

/**
 * Per node: after a gateway did not answer, wait 1 s before asking it again, doubling up to a maximum; one answer
 * resets it. Other nodes are not held up meanwhile.
 */
final class NodeBackoff {
    private static final long FIRST_DELAY_MS = 1_000;

    private record State(long nextAtMs, long delayMs) {
    }

    private final long maxDelayMs;
    private final Map<String, State> states = new HashMap<>();

    NodeBackoff(long maxDelayMs) {
        this.maxDelayMs = Math.max(FIRST_DELAY_MS, maxDelayMs);
    }

    boolean ready(String node, long nowMs) {
        State s = states.get(node);
        return s == null || nowMs >= s.nextAtMs;
    }

    void failed(String node, long nowMs) {
        State s = states.get(node);
        long delay = s == null ? FIRST_DELAY_MS : Math.min(maxDelayMs, s.delayMs * 2);
        states.put(node, new State(nowMs + delay, delay));
    }

    void answered(String node) {
        states.remove(node);
    }
}
