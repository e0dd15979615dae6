package qp.gateway.events;

import org.apache.kafka.common.KafkaException;

/**
 * When to ask {@link KafkaLiveness} whether Kafka can take records: at most one question at a time, the next one
 * {@code probeInterval} after a "no". Time comes from the sender's step, never from a clock of its own.
 */
final class Prober {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Prober.class);
    private final KafkaLiveness liveness;
    private final long intervalNanos;
    private long nextNanos;
    private long noAnswers;

    Prober(KafkaLiveness liveness, long intervalNanos, long nowNanos) {
        this.liveness = liveness;
        this.intervalNanos = intervalNanos;
        this.nextNanos = nowNanos;
    }

    /**
     * The answer of the question that just finished, or null while there is none; starts a question when one is
     * due. Throws a KafkaException when a question cannot even be asked (e.g. no resolvable bootstrap server).
     */
    Boolean poll(long nowNanos) {
        Boolean answer = liveness.result();
        if (answer == null) {
            if (!liveness.running() && nowNanos - nextNanos >= 0) {
                liveness.start();
            }
            return null;
        }
        if (!answer) {
            noAnswer(nowNanos);
        }
        return answer;
    }

    /** While Kafka is away: true once a question got an answer. */
    boolean kafkaBack(long nowNanos) {
        try {
            return Boolean.TRUE.equals(poll(nowNanos));
        } catch (KafkaException e) { // e.g. no resolvable bootstrap server
            noAnswer(nowNanos);
            LOG.debug("a probe of Kafka failed to start", e);
            return false;
        }
    }

    /**
     * While the oldest record is overdue: the reason Kafka is lost when a question got no answer (or could not be
     * asked), else null to keep waiting; a broker that answers is slow, not away (an abort would duplicate what it
     * wrote without answering yet), and is asked again an interval later.
     */
    String whileStalled(long nowNanos, long stallMillis) {
        Boolean answers;
        try {
            answers = poll(nowNanos);
        } catch (KafkaException e) {
            return "no acknowledgement within " + stallMillis + " ms and no probe possible: " + e.getMessage();
        }
        if (answers == null) {
            return null;
        }
        if (!answers) {
            return "no acknowledgement within " + stallMillis + " ms and Kafka does not answer";
        }
        askLater(nowNanos);
        return null;
    }

    /** Counts a question that got no answer (or could not be asked) and waits an interval before the next. */
    void noAnswer(long nowNanos) {
        noAnswers++;
        askLater(nowNanos);
    }

    /** Drops a question in progress and asks a fresh one at the next poll: an answer from before does not count. */
    void askAfresh(long nowNanos) {
        liveness.forget();
        nextNanos = nowNanos;
    }

    /** No waiting for the interval (on close). */
    void askSoon(long nowNanos) {
        nextNanos = nowNanos;
    }

    void askLater(long nowNanos) {
        nextNanos = nowNanos + intervalNanos;
    }

    /** How many questions got no answer so far. */
    long noAnswers() {
        return noAnswers;
    }

    /** Releases the connection; the next question opens a new one. */
    void close() {
        liveness.close();
    }
}
