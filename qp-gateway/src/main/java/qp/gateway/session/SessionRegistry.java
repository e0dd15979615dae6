package qp.gateway.session;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import qp.gateway.experiments.ArmsInForce;
import qp.protocol.experiments.Arm;
import qp.protocol.experiments.ExperimentSpec;

/** The open sessions of a gateway, and the max_connections gate. */
public final class SessionRegistry {
    private final Set<Session> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger count;

    /** @param count the counter behind the {@code qp.sessions} gauge */
    public SessionRegistry(AtomicInteger count) {
        this.count = count;
    }

    /** Admits a session unless that would put the gateway over {@code maxConnections}. */
    boolean tryAdmit(Session s, long maxConnections) {
        if (count.incrementAndGet() > maxConnections) {
            count.decrementAndGet();
            return false;
        }
        open.add(s);
        return true;
    }

    void remove(Session s) {
        if (open.remove(s)) {
            count.decrementAndGet();
        }
    }

    public int size() {
        return count.get();
    }

    public void forEach(Consumer<Session> action) {
        open.forEach(action);
    }

    /** Open sessions in {@code arm} of experiment {@code e} at {@code nowMillis}; unidentified ones are control. */
    public int inArm(ExperimentSpec e, Arm arm, long nowMillis) {
        int n = 0;
        for (Session s : open) {
            if (ArmsInForce.arm(e, s.sessionId(), nowMillis) == arm) {
                n++;
            }
        }
        return n;
    }
}
