package qp.gateway.events;

/**
 * One event as it goes to Kafka or the spool.
 *
 * @param lseq  the emitter's own sequence number, in the order events were taken from the memory queue;
 *              persisted as the spool's primary key, so spooled events are always read back in emission order
 * @param kind  {@link #FRAME} or {@link #NODE_METRICS}: the topic is looked up from the configuration at send time
 * @param timestampMillis the Kafka record timestamp: the event's own time, so a spooled event keeps it
 * @param key   the Kafka key (connection id or node id, UTF-8)
 * @param value the value as {@link EventFormat} writes it
 */
record OutRecord(long lseq, int kind, long timestampMillis, byte[] key, byte[] value) {
    static final int FRAME = 0;
    static final int NODE_METRICS = 1;

    /** What the record counts for against the spool's bound: payload plus a fixed allowance for row overhead. */
    long spoolBytes() {
        return value.length + (key == null ? 0 : key.length) + DiskSpool.ROW_OVERHEAD_BYTES;
    }
}
