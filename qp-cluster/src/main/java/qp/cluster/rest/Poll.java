package qp.cluster.rest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/** Waits for a condition: asks again every {@code interval} until it gives a value or {@code timeout} has passed. */
public final class Poll {
    private final Clock clock;
    private final Duration interval;

    public Poll(Clock clock, Duration interval) {
        this.clock = clock;
        this.interval = interval;
    }

    /** The first value {@code check} gives; a {@link FlinkRestException} naming {@code what} after the timeout. */
    public <T> T until(Duration timeout, String what, Supplier<Optional<T>> check) {
        Instant deadline = clock.instant().plus(timeout);
        while (true) {
            Optional<T> value = check.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (!clock.instant().isBefore(deadline)) {
                throw new FlinkRestException("gave up after " + timeout.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FlinkRestException("interrupted while waiting for " + what, e);
            }
        }
    }
}
