package qp.gateway.events;

/** Why an event could not be kept; the tag {@code reason} of {@code qp.emitter.dropped}. */
enum DropReason {
    /** the in-memory queue was full: the sender thread fell behind the sessions */
    QUEUE_FULL("queue_full"),
    /** Kafka was away and the spool had reached its bound */
    SPOOL_FULL("spool_full"),
    /** the spool could not be written (disk error) */
    SPOOL_ERROR("spool_error"),
    /** Kafka refused the record for good (too large, invalid topic): retrying cannot help */
    REJECTED("rejected"),
    /** emitted after close() */
    CLOSED("closed");

    final String tag;

    DropReason(String tag) {
        this.tag = tag;
    }
}
