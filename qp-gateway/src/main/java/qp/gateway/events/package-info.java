/**
 * The frame-event emitter: every frame the gateway handles, and a per-second node sample, go to Kafka without a
 * session ever waiting (DESIGN.md, tuning loop 1).
 *
 * <pre>
 * session IO threads ──emitFrame──> BoundedEventQueue ──> sender thread ──> KafkaProducer ──> qp.frames / qp.node-metrics
 *   (lock-free offer, ~20 ns)        (bounded; full:       │   ^                (idempotent, acks=all, lz4)
 *                                     counted drop)        v   │ oldest first, when Kafka is back
 *                                                         Spool (DiskSpool: SQLite, bounded; full: counted drop)
 * </pre>
 *
 * <p>While Kafka is up, a producer that falls behind holds the sender back (the memory queue fills); the spool takes
 * events only while Kafka is away or stalled, or while it still holds older ones.
 *
 * <h2>The sender's states</h2>
 * {@link qp.gateway.events.SenderState} names them and holds every transition; {@link qp.gateway.events.EmitterSender}
 * does what a transition means, one synchronous {@code step(now)} at a time, with the time given by
 * {@link qp.gateway.events.SenderLoop} (a monotonic source) or by a test.
 * <pre>
 *  start ──> PROBING ────────── KAFKA_ANSWERS ──────────> DRAINING_SPOOL ─── SPOOL_EMPTY ───> DIRECT
 *            Kafka away:                                   spool sent oldest                  new events straight
 *            everything to the spool,                      first; new events                  to the producer (up to
 *            probe every probeInterval                     to the spool behind it             the in-flight cap)
 *              ^   ^                                           │       ^                           │
 *              │   │                             OLDEST_OVERDUE│       │CAUGHT_UP    OLDEST_OVERDUE│
 *              │   │                                           v       │                           │
 *              │   └──────────── KAFKA_LOST ─────────────── STALLED <─────────────────────────────┘
 *              │                 (probe unanswered,          new events to the spool;
 *              │                  past abort limit,          a probe decides: slow or away
 *              │                  send failed)
 *              └──────────────── KAFKA_LOST from DRAINING_SPOOL or DIRECT (a send failed for a reason that is not
 *                                the record's, or no producer could be made)
 * </pre>
 * Every event gets a sequence number ({@code lseq}) when it leaves the memory queue; the spool is keyed by it. Three
 * rules keep Kafka in that order per key:
 * <ol>
 *   <li>once anything is spooled, every newer event goes to the spool too, until the spool is empty: only DIRECT
 *       sends new events to the producer;</li>
 *   <li>the spool is read oldest first, and only when no direct send is in flight: a direct send that fails is
 *       spooled under its own (older) {@code lseq}, so it lands ahead of newer spooled events before any is read;</li>
 *   <li>on KAFKA_LOST the producer is closed at once, which fails everything it still holds in one go; what was not
 *       acknowledged goes to the spool, which is read again from its oldest row. The producer is never left to
 *       expire batches one by one ({@code delivery.timeout.ms}), which could write a later batch of a partition
 *       after an earlier one failed.</li>
 * </ol>
 * Spool rows are sent in chunks that follow each other up to the in-flight cap, without waiting for acknowledgements.
 * Each producer lives in a {@link qp.gateway.events.ProducerLink} of its own, so a late callback of an aborted
 * producer cannot mark the next one as failed.
 *
 * <p>A note on a fixed race (issue 7): a failed record used to be published as FAILED before the callback raised the
 * shared outage flag; the sender could see FAILED, handle the outage and clear the flag, and the callback then raised
 * it again, stale, so the next producer sent nothing, for good. A test forced that interleaving and showed it (0 of 10
 * spooled records sent in 30 s); now the failure is raised before FAILED is published, and the flag belongs to one
 * producer. Only {@code MockProducer} could show it: a real producer's {@code close} joins its I/O thread.
 *
 * <h2>Delivery guarantee</h2>
 * At least once, per key in emission order, with an idempotent producer ({@code acks=all}, at most 5 requests in
 * flight per connection, which idempotence keeps in order; a retry within one producer is never written twice).
 * Events are lost only when counted in {@code qp.emitter.dropped}, or by a power cut (not a process crash) within
 * the spool's last {@code synchronous=NORMAL} commit. Duplicates happen only in these cases:
 * <ol>
 *   <li>Kafka wrote records whose acknowledgement had not reached the emitter when it declared Kafka lost (a broker
 *       that dies holding records it wrote but did not acknowledge; one that acknowledges nothing for
 *       {@code kafkaStallTimeout} and then leaves a probe unanswered; one that answers probes but acknowledges
 *       nothing for half of {@code delivery.timeout.ms}, 60 s). Everything not acknowledged is sent again by a new
 *       producer, oldest first. So, per outage: each event is written at most twice; for each key the topic holds
 *       the emission order with one contiguous run repeated: {@code 0..b} then {@code a..n}, where {@code a ≤ b+1}
 *       is the oldest event of that key not acknowledged to the emitter and {@code a..b} the duplicates; and their
 *       number is at most what the producer had on the wire without an answer: 5 produce requests per broker
 *       connection, each at most one batch ({@code batch.size}, 512 KB) per partition, and never more than the
 *       in-flight cap ({@code EmitterSender.IN_FLIGHT_CAP}, 100 000 events). {@code KafkaDiesHoldingUnacknowledgedRecordsTest}
 *       kills a real broker in that state and asserts exactly this shape.</li>
 *   <li>The process stops between Kafka acknowledging spooled events and their deletion from the spool: the next
 *       start sends them again (at most the spool rows in flight, within the in-flight cap).</li>
 *   <li>A spool delete fails on disk: the rows are sent again.</li>
 * </ol>
 * A clean outage (broker unreachable, nothing half-written) gives none. Consumers dedupe by (nodeId, connectionId,
 * seq) of a frame event and (nodeId, timestampMillis) of a node sample.
 *
 * <p>Meters (Micrometer names; Prometheus replaces dots with underscores):
 * <table>
 *   <caption>emitter meters</caption>
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
