package qp.agent.replay;

import java.time.Clock;

/** Waits so that records go out with their original gaps divided by the speed. */
final class Pacer {
    /** How to wait; tests pass one that advances a fake clock. */
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final Speed speed;
    private final Clock clock;
    private final Sleeper sleeper;
    private long firstRecordMillis = -1;
    private long startMillis;

    Pacer(Speed speed, Clock clock, Sleeper sleeper) {
        this.speed = speed;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Returns when the record of time {@code recordMillis} is due. */
    void awaitTurn(long recordMillis) throws InterruptedException {
        if (speed.isMax()) {
            return;
        }
        if (firstRecordMillis < 0) {
            firstRecordMillis = recordMillis;
            startMillis = clock.millis();
            return;
        }
        long due = startMillis + (long) (Math.max(0, recordMillis - firstRecordMillis) / speed.factor());
        long wait = due - clock.millis();
        if (wait > 0) {
            sleeper.sleep(wait);
        }
    }
}
