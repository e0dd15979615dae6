package qp.gateway.events;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The records handed to the producer and not yet settled, oldest first. Settling goes strictly by the head, so the
 * sender accounts records in the order it sent them; it also counts the direct (not spooled) ones, because the
 * spool is read only when none is in flight (ordering rule 2).
 */
final class InFlightWindow {
    private final ArrayDeque<InFlight> records = new ArrayDeque<>();
    private int direct;

    void add(InFlight f) {
        records.add(f);
        if (!f.fromSpool) {
            direct++;
        }
    }

    InFlight head() {
        return records.peekFirst();
    }

    /** Removes the head, which the caller has seen settled. */
    InFlight pollHead() {
        InFlight f = records.pollFirst();
        if (f != null && !f.fromSpool) {
            direct--;
        }
        return f;
    }

    /** Everything, for an outage: the window is empty afterwards. */
    List<InFlight> takeAll() {
        List<InFlight> all = new ArrayList<>(records);
        records.clear();
        direct = 0;
        return all;
    }

    int size() {
        return records.size();
    }

    int direct() {
        return direct;
    }

    boolean isEmpty() {
        return records.isEmpty();
    }
}
