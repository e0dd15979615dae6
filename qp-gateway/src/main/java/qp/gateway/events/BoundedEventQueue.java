package qp.gateway.events;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The hand-off from session threads to the sender thread: many producers, one consumer, bounded, lock-free.
 * An offer is a read and an increment of one counter plus a CAS on the list's tail; it never waits.
 */
final class BoundedEventQueue {
    private final ConcurrentLinkedQueue<Object> items = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int capacity;

    BoundedEventQueue(int capacity) {
        this.capacity = capacity;
    }

    /** False when full: the caller counts the event as dropped. */
    boolean offer(Object event) {
        if (size.get() >= capacity) { // a cheap read first: a full queue costs no contended write
            return false;
        }
        if (size.getAndIncrement() >= capacity) {
            size.decrementAndGet();
            return false;
        }
        items.offer(event);
        return true;
    }

    /** Moves at most {@code max} events, oldest first, into {@code out}; only the sender thread calls it. */
    int drainTo(List<Object> out, int max) {
        int n = 0;
        Object e;
        while (n < max && (e = items.poll()) != null) {
            out.add(e);
            n++;
        }
        if (n > 0) {
            size.addAndGet(-n);
        }
        return n;
    }

    int size() {
        return Math.max(0, size.get());
    }

    boolean isEmpty() {
        return items.isEmpty();
    }
}
