/**
 * The frame-event emitter: every frame the gateway handles, and a per-second node sample, go to Kafka without a
 * session ever waiting (DESIGN.md, tuning loop 1).
 *
 * <pre>
 * session IO threads ──emitFrame──> BoundedEventQueue ──> sender thread ──> KafkaProducer ──> qp.frames / qp.node-metrics
 *   (lock-free offer, ~20 ns)        (bounded; full:       │   ^                (idempotent, acks=all, lz4)
 *                                     counted drop)        v   │ oldest first, when Kafka is back
 *                                                         DiskSpool (SQLite, bounded; full: counted drop)
 * </pre>
 *
 * <p>While Kafka is up, a producer that falls behind holds the sender back (the memory queue fills); the spool takes
 * events only while Kafka is away or stalled, or while it still holds older ones.
 *
 * <p>Ordering, outage detection and the delivery guarantee are described on {@link qp.gateway.events.EmitterSender}
 * and {@link qp.gateway.events.KafkaEventEmitter}; why the spool is SQLite on {@link qp.gateway.events.DiskSpool}.
 *
 * <p>Meters (Micrometer names; Prometheus replaces dots with underscores):
 * <table>
 *   <tr><td>{@code qp.emitter.queue.depth}</td><td>gauge</td><td>events waiting in memory for the sender thread</td></tr>
 *   <tr><td>{@code qp.emitter.inflight}</td><td>gauge</td><td>events handed to the producer, not yet acknowledged</td></tr>
 *   <tr><td>{@code qp.emitter.spooled}</td><td>gauge</td><td>events in the on-disk spool</td></tr>
 *   <tr><td>{@code qp.emitter.spool.bytes}</td><td>gauge</td><td>bytes counted against {@code spoolMaxBytes}</td></tr>
 *   <tr><td>{@code qp.emitter.kafka.up}</td><td>gauge</td><td>1 while Kafka acknowledges (or answers the probe), 0 while away</td></tr>
 *   <tr><td>{@code qp.emitter.sent}</td><td>counter</td><td>events acknowledged by Kafka (a spooled one once its row is deleted)</td></tr>
 *   <tr><td>{@code qp.emitter.spool.writes}</td><td>counter</td><td>events written to the spool</td></tr>
 *   <tr><td>{@code qp.emitter.dropped{reason}}</td><td>counter</td><td>events kept nowhere: {@code queue_full},
 *       {@code spool_full}, {@code spool_error}, {@code rejected} (refused by Kafka for good), {@code closed}</td></tr>
 * </table>
 * Drops are also reported by a warning at most every 10 s with the counts by reason.
 */
package qp.gateway.events;
