package qp.gateway.events;

/**
 * The sender's states and every transition between them, in one place (drawn in the package doc). What happens on
 * a transition (aborting the producer, spooling what was in flight) is {@link EmitterSender}'s; which transitions
 * exist is decided only here.
 */
enum SenderState {
    /** Kafka is away: every event goes to the spool; a probe asks every {@code probeInterval} whether it is back. */
    PROBING,
    /** Kafka answered: the spool is sent oldest first; newer events go to the spool behind it (ordering rule 1). */
    DRAINING_SPOOL,
    /** The spool is empty: events go straight to the producer, held back in memory by the in-flight cap. */
    DIRECT,
    /** The oldest record is overdue: newer events go to the spool; a probe decides between slow and away. */
    STALLED;

    /** What the sender observed. */
    enum Signal {
        /** the probe got an answer: the topics have leaders */
        KAFKA_ANSWERS,
        /** a send failed for a reason that is not the record's, no producer could be made, the probe got no answer
         *  while stalled, or a stall outlasted the abort limit */
        KAFKA_LOST,
        /** the spool is empty and nothing sent from it is unacknowledged */
        SPOOL_EMPTY,
        /** the oldest unacknowledged record is older than {@code kafkaStallTimeout} */
        OLDEST_OVERDUE,
        /** the oldest unacknowledged record is no longer overdue (acknowledged, or none left) */
        CAUGHT_UP
    }

    /** The state after {@code signal}; a signal that means nothing in this state leaves it unchanged. */
    SenderState on(Signal signal) {
        return switch (this) {
            case PROBING -> signal == Signal.KAFKA_ANSWERS ? DRAINING_SPOOL : PROBING;
            case DRAINING_SPOOL -> switch (signal) {
                case KAFKA_LOST -> PROBING;
                case SPOOL_EMPTY -> DIRECT;
                case OLDEST_OVERDUE -> STALLED;
                default -> DRAINING_SPOOL;
            };
            case DIRECT -> switch (signal) {
                case KAFKA_LOST -> PROBING;
                case OLDEST_OVERDUE -> STALLED;
                default -> DIRECT;
            };
            case STALLED -> switch (signal) {
                case KAFKA_LOST -> PROBING;
                case CAUGHT_UP -> DRAINING_SPOOL; // what was spooled meanwhile goes first
                default -> STALLED;
            };
        };
    }

    /** Kafka is taking records (or is believed to): a producer may exist and records may be in flight. */
    boolean kafkaUp() {
        return this != PROBING;
    }

    /** New events go to the producer only here; everywhere else to the spool (ordering rule 1). */
    boolean sendsDirect() {
        return this == DIRECT;
    }
}
