package qp.bench.limit;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's users: {@code count} {@link VirtualUser}s, each on its own thread, all over one shared JDK
 * {@code HttpClient} (its WebSocket client; one selector for every connection, a small pool for its callbacks).
 * Closed loop: a user sends its next request only when the reply to the last one came, so the offered load follows
 * what the gateway admits and how fast the upstream answers.
 */
public final class ClosedLoopClients implements AutoCloseable {
    private final ClientStats stats = new ClientStats();
    private final ExecutorService callbacks;
    private final List<VirtualUser> users = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    /**
     * @param token        the client token for AUTH, or null to send none (a gateway without auth)
     * @param meanRequests the mean number of requests of a session (geometric)
     */
    public ClosedLoopClients(URI uri, String token, String op, int count, double meanRequests, long seed) {
        if (count < 1) {
            throw new IllegalArgumentException("--clients must be at least 1, got " + count);
        }
        this.callbacks = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "qp-limit-ws");
            t.setDaemon(true);
            return t;
        });
        HttpClient http = HttpClient.newBuilder().executor(callbacks).build();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < count; i++) {
            VirtualUser u = new VirtualUser(i, http, uri, token, op, meanRequests, stats, random.split());
            users.add(u);
            Thread t = new Thread(u, "qp-limit-user-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
    }

    public void start() {
        threads.forEach(Thread::start);
    }

    public ClientStats stats() {
        return stats;
    }

    /** Each user finishes the request it waits for (or is interrupted after a few seconds) and closes its session. */
    public void stop() {
        users.forEach(VirtualUser::stop);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        threads.forEach(Thread::interrupt); // those still waiting (a backoff, a reply that does not come)
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        callbacks.shutdownNow();
    }

    @Override
    public void close() {
        stop();
    }
}
