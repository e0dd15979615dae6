package qp.bench.limit;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What the benchmark has running (stacks, clients, the upstream), so that a shutdown hook (Ctrl-C) or an exception
 * stops all of it, last started first. Once {@link #closeAll()} ran, nothing new may start.
 */
final class Cleanup {
    private final Deque<AutoCloseable> open = new ArrayDeque<>();
    private boolean stopping;

    /** Registers {@code resource}; throws when the benchmark is stopping (the caller must not go on). */
    synchronized <T extends AutoCloseable> T add(T resource) {
        if (stopping) {
            quietly(resource);
            throw new IllegalStateException("the benchmark is stopping");
        }
        open.push(resource);
        return resource;
    }

    /** Closes {@code resource} now (if still registered). */
    void close(AutoCloseable resource) {
        boolean mine;
        synchronized (this) {
            mine = open.remove(resource);
        }
        if (mine) {
            quietly(resource);
        }
    }

    synchronized boolean stopping() {
        return stopping;
    }

    void closeAll() {
        while (true) {
            AutoCloseable next;
            synchronized (this) {
                stopping = true;
                next = open.poll();
            }
            if (next == null) {
                return;
            }
            quietly(next);
        }
    }

    private static void quietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            System.err.println("qp limit-bench: stopping " + resource.getClass().getSimpleName() + " failed: " + e);
        }
    }
}
