package qp.gateway.events;

import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;

/** One record handed to the producer and not yet settled; the producer's I/O thread completes it. */
final class InFlight implements Callback {
    static final int PENDING = 0;
    static final int ACKED = 1;
    static final int FAILED = 2;

    final OutRecord record;
    /** true when the record is a row of the spool (it stays there until acknowledged) */
    final boolean fromSpool;
    final long sentNanos;
    private final Consumer<Exception> onRetriableError;
    private volatile int state = PENDING;
    private volatile Exception error;

    InFlight(OutRecord record, boolean fromSpool, long sentNanos, Consumer<Exception> onRetriableError) {
        this.record = record;
        this.fromSpool = fromSpool;
        this.sentNanos = sentNanos;
        this.onRetriableError = onRetriableError;
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception exception) {
        if (exception == null) {
            state = ACKED;
            return;
        }
        error = exception;
        if (!isPermanent(exception)) {
            // before FAILED is published: a sender that sees FAILED and handles the outage must never be followed
            // by this callback raising the failure again, stale (the old flake, forced in EmitterSenderStaleFailureTest;
            // see the package doc)
            onRetriableError.accept(exception);
        }
        state = FAILED;
    }

    int state() {
        return state;
    }

    Exception error() {
        return error;
    }

    /** Acknowledged, or refused for good: nothing more will happen to it. */
    boolean settledForGood() {
        int s = state;
        return s == ACKED || (s == FAILED && isPermanent(error));
    }

    /** Errors about the record itself: sending it again cannot succeed, so it is dropped and counted. */
    static boolean isPermanent(Exception e) {
        return e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException
                || e instanceof InvalidTopicException || e instanceof SerializationException
                || e instanceof InvalidTimestampException; // outside the topic's accepted time range
    }

    static String describe(Exception e) {
        return e == null ? "unknown error" : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
