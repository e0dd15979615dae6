package qp.bench.load;

import java.util.List;

/**
 * Sends a paced load's requests: every millisecond, the requests due since the start at {@code rate} per second go
 * to the connections in turn. A request due while every connection has its in-flight limit outstanding is not sent
 * later (that would be a burst): it is counted as missed, so the run reports that the offered rate was not carried.
 */
final class RatePacer implements AutoCloseable {
    private final List<LoadSession> sessions;
    private final double rate;
    private final LoadStats stats;
    private final Thread thread;
    private volatile boolean running = true;
    private int next;

    RatePacer(List<LoadSession> sessions, double rate, LoadStats stats) {
        this.sessions = List.copyOf(sessions);
        this.rate = rate;
        this.stats = stats;
        this.thread = new Thread(this::run, "qp-load-pacer");
        this.thread.setDaemon(true);
    }

    void start() {
        sessions.forEach(LoadSession::startPaced);
        thread.start();
    }

    private void run() {
        long start = System.nanoTime();
        long issued = 0;
        while (running) {
            long due = (long) ((System.nanoTime() - start) / 1e9 * rate);
            for (; issued < due && running; issued++) {
                if (!offerToNext()) {
                    stats.missed.increment();
                }
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Offers one request to the connections in turn, starting after the last that took one; false if none could. */
    boolean offerToNext() {
        for (int tried = 0; tried < sessions.size(); tried++) {
            LoadSession s = sessions.get(next);
            next = (next + 1) % sessions.size();
            if (s.offer()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(1_000);
    }
}
