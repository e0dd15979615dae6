package qp.gateway.events;

/**
 * @param queueDepth   events waiting in memory to be sent
 * @param spooled      events currently held in the on-disk spool
 * @param sent         events acknowledged by Kafka since start
 * @param dropped      events that could be kept neither in memory nor in the spool, since start
 * @param kafkaUp      whether the last send attempt reached Kafka
 */
public record EmitterStats(long queueDepth, long spooled, long sent, long dropped, boolean kafkaUp) {
}
