package qp.gateway.events;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.FrameEventJson;
import qp.protocol.events.NodeMetrics;
import qp.protocol.json.QpJson;

/**
 * The emitter's one background thread: takes events from the memory queue and sends them to Kafka, or to the
 * spool while Kafka is away or the spool still holds older events.
 *
 * <p>Ordering. Every event gets a sequence number ({@code lseq}) when it leaves the memory queue; the spool is keyed
 * by it. Three rules keep Kafka in that order per key:
 * <ol>
 *   <li>once anything is spooled, every newer event goes to the spool too, until the spool is empty;</li>
 *   <li>the spool is read oldest first, and only when no direct send is in flight: a direct send that fails is
 *       spooled under its own (older) {@code lseq}, so it lands ahead of newer spooled events before any is read;</li>
 *   <li>when an outage is declared the producer is closed at once ({@code close(ZERO)}), which fails everything
 *       it still holds in one go, and the spool is read again from its oldest row; the producer is never left to
 *       expire batches one by one ({@code delivery.timeout.ms}), which could write a later batch of a partition
 *       after an earlier one failed.</li>
 * </ol>
 * Spool rows are sent in chunks that follow each other up to the in-flight cap, without waiting for acknowledgements.
 *
 * <p>Backpressure, not the spool, while Kafka is up: when the in-flight cap is reached the sender stops taking events
 * from the memory queue until acknowledgements free room, so a broker that is only slower than the sessions for a
 * while costs queue space, not SQLite writes. Events go to the spool only while Kafka is away, while the spool
 * still holds older events (rule 1), or once the oldest record is overdue ({@code kafkaStallTimeout}, see there).
 * The queue stays bounded: past its capacity new events are dropped and counted ({@code queue_full}).
 *
 * <p>Outage detection: a send error that is not about the record itself, a metadata wait over {@code max.block.ms},
 * or the oldest unacknowledged record older than {@code kafkaStallTimeout} together with an admin probe that gets
 * no answer (a stall alone only sends newer events to the spool: a slow broker is not aborted, which would duplicate
 * what it wrote without answering yet). While away, the probe asks every {@code probeInterval} whether the topics
 * have leaders again; the spool is then sent before anything newer.
 */
final class EmitterSender implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(EmitterSender.class);
    private static final int DRAIN_BATCH = 4096;
    private static final int SPOOL_CHUNK = 5000;
    /** records handed to the producer and not yet acknowledged; past it newer events wait in the memory queue. Room
     *  for ~1 s of events at 100 k/s, so a broker slowed by a busy machine is not held to a few batches at a time
     *  (a benchmark round dropped 10 503 events at the full queue with 20 000 while Kafka was up); well under what fills the producer's buffer.memory
     *  (64 MB: 128 batches), where send() would block and fail as if Kafka were away */
    static final int IN_FLIGHT_CAP = 100_000;
    private static final long IDLE_PARK_NANOS = 1_000_000;
    private static final long DROP_LOG_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();
    /** how often the drop counters are summed: a sum per step cost 1.5% of the gateway's CPU under load */
    private static final long DROP_CHECK_INTERVAL_NANOS = Duration.ofMillis(100).toNanos();

    private final KafkaEmitterConfig config;
    private final BoundedEventQueue queue;
    private final DiskSpool spool;
    private final KafkaLiveness probe;
    private final Supplier<Producer<byte[], byte[]>> producerFactory;
    private final EmitterMeters meters;
    private final Consumer<String> warnings;
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    private final int inFlightCap;
    /** direct (not spooled) records in flight: the spool is read only when there are none */
    private int directInFlight;
    /** spool rows acknowledged whose deletion is pending */
    private long ackedSpoolRows;
    /** the newest spool row handed to the producer; the next chunk starts after it */
    private long spoolSentUpTo;
    private final long stallNanos;
    /** a stall longer than this is ended by an abort even while Kafka answers: before the producer expires batches */
    private final long abortNanos;
    private final AtomicReference<String> outage = new AtomicReference<>();
    /** one callback for every send: no lambda allocated per record */
    private final Consumer<Exception> onOutageError = e -> outage.compareAndSet(null, describe(e));
    private final List<Object> drained = new ArrayList<>(DRAIN_BATCH);
    private final List<OutRecord> toSpool = new ArrayList<>();
    private final List<OutRecord> delivered = new ArrayList<>();
    private volatile boolean stopping;

    private Producer<byte[], byte[]> producer;
    /** rule 1: true from the first spooled event until the spool is empty again */
    private boolean spooling = true;
    /** Kafka is known to be away: nothing is sent until the probe says it is back */
    private boolean kafkaAway = true;
    private long nextLseq;
    private long nextProbeNanos;
    private long lastDropLogNanos = System.nanoTime() - DROP_LOG_INTERVAL_NANOS;
    private long nextDropCheckNanos = System.nanoTime();
    private long droppedAtLastLog;
    /** during close: Kafka did not answer the probe, so what is left stays in the spool */
    private boolean closeProbeFailed;
    /** the oldest record is overdue: a probe decides whether Kafka is away or only slow */
    private boolean stallSuspected;
    /** an outage is announced once: not again until Kafka has acknowledged something since */
    private boolean ackedSinceAway = true;

    EmitterSender(KafkaEmitterConfig config, BoundedEventQueue queue, DiskSpool spool, KafkaLiveness probe,
            Supplier<Producer<byte[], byte[]>> producerFactory, long deliveryTimeoutMs, EmitterMeters meters,
            Consumer<String> warnings)
            throws SQLException {
        this.config = config;
        this.queue = queue;
        this.spool = spool;
        this.probe = probe;
        this.producerFactory = producerFactory;
        this.meters = meters;
        this.warnings = warnings;
        this.inFlightCap = IN_FLIGHT_CAP;
        this.stallNanos = config.kafkaStallTimeout().toNanos();
        this.abortNanos = Math.max(stallNanos, java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(deliveryTimeoutMs) / 2);
        this.nextLseq = spool.maxLseq() + 1; // after a restart, new events go behind what the last run spooled
        this.nextProbeNanos = System.nanoTime();
        updateSpoolMeters();
    }

    void stop() {
        stopping = true;
    }

    @Override
    public void run() {
        try {
            while (!stopping) {
                try {
                    if (!step()) {
                        LockSupport.parkNanos(IDLE_PARK_NANOS);
                    }
                } catch (RuntimeException e) {
                    LOG.error("event sender: unexpected error, carrying on", e);
                    LockSupport.parkNanos(100 * IDLE_PARK_NANOS);
                }
            }
            finish();
        } finally {
            if (producer != null) {
                producer.close(Duration.ZERO);
            }
            probe.close();
            spool.close();
        }
    }

    /** One round: settle acknowledgements, move what is queued, probe or read the spool. True when it did work. */
    private boolean step() {
        boolean worked = settle();
        drained.clear();
        int room = drainRoom();
        if (room > 0 && queue.drainTo(drained, room) > 0) {
            worked = true;
            for (Object event : drained) {
                OutRecord r = encode(event);
                if (r != null) {
                    route(r);
                }
            }
            writeSpool(toSpool);
            toSpool.clear();
        }
        if (spooling && directInFlight == 0) { // rule 2: direct sends settle before the spool is read
            worked |= kafkaAway ? probe() : sendSpoolChunk();
        }
        logDropsIfDue(false);
        return worked;
    }

    /**
     * How many events to take from the memory queue now. While events go straight to Kafka, no more than the
     * in-flight cap leaves room for: the rest wait in the queue (backpressure) rather than going to the spool.
     */
    private int drainRoom() {
        boolean sendingDirect = !spooling && !kafkaAway;
        if (!sendingDirect) {
            return DRAIN_BATCH;
        }
        return Math.max(0, Math.min(DRAIN_BATCH, inFlightCap - inFlight.size()));
    }

    private void route(OutRecord r) {
        if (!spooling && outage.get() != null) {
            goAway(outage.get());
        }
        if (spooling || kafkaAway || !ensureProducer()) {
            spooling = true; // rule 1
            toSpool.add(r);
            return;
        }
        send(r, false);
    }

    private void send(OutRecord r, boolean fromSpool) {
        InFlight f = new InFlight(r, fromSpool, System.nanoTime(), onOutageError);
        inFlight.add(f);
        if (fromSpool) {
            spoolSentUpTo = r.lseq();
        } else {
            directInFlight++;
        }
        try {
            producer.send(new ProducerRecord<>(topic(r), null, timestamp(r), r.key(), r.value()), f);
        } catch (RuntimeException e) { // the producer reports most errors to the callback; some it throws
            f.onCompletion(null, e);
        }
    }

    /** Takes settled records off the head of the in-flight queue; detects an outage. */
    private boolean settle() {
        if (inFlight.isEmpty()) {
            return false;
        }
        String reason = outage.get();
        InFlight head = inFlight.peekFirst();
        long waitedNanos = System.nanoTime() - head.sentNanos;
        if (reason == null && head.state() == InFlight.PENDING && waitedNanos > stallNanos) {
            // Past abortNanos the producer would soon expire batches on its own, one by one: a later batch of a
            // partition could then be written after an earlier one failed. An abort fails them all at once.
            reason = waitedNanos > abortNanos ? "no acknowledgement within " + abortNanos / 1_000_000
                    + " ms although Kafka answers" : stalled();
        } else {
            stallSuspected = false;
        }
        if (reason != null) {
            goAway(reason);
            return true;
        }
        boolean worked = false;
        while ((head = inFlight.peekFirst()) != null && head.state() != InFlight.PENDING) {
            if (head.state() == InFlight.FAILED && !InFlight.isPermanent(head.error())) {
                goAway(describe(head.error()));
                return true;
            }
            inFlight.pollFirst();
            if (!head.fromSpool) {
                directInFlight--;
            }
            worked = true;
            account(head);
        }
        deleteDelivered();
        meters.inFlight.set(inFlight.size());
        return worked;
    }

    /**
     * The oldest record has waited longer than the stall timeout. Newer events go to the spool from now on (memory
     * stays bounded); aborting the producer is decided by a probe, because an abort makes duplicates of whatever
     * Kafka wrote without answering yet: a broker that answers the probe is slow (just restarted, busy), and the
     * producer is left to finish; one that does not is away. Returns the outage reason, or null to keep waiting.
     */
    private String stalled() {
        spooling = true;
        if (!stallSuspected) {
            stallSuspected = true;
            probe.forget(); // a fresh answer, not one started before the stall
            nextProbeNanos = System.nanoTime();
        }
        Boolean reachable = probe.result();
        if (reachable == null) {
            if (!probe.running() && System.nanoTime() - nextProbeNanos >= 0) {
                try {
                    probe.start();
                } catch (KafkaException e) {
                    return "no acknowledgement within " + config.kafkaStallTimeout().toMillis()
                            + " ms and no probe possible: " + e.getMessage();
                }
            }
            return null;
        }
        if (!reachable) {
            return "no acknowledgement within " + config.kafkaStallTimeout().toMillis()
                    + " ms and Kafka does not answer";
        }
        nextProbeNanos = System.nanoTime() + config.probeInterval().toNanos(); // slow but there: ask again later
        return null;
    }

    private void account(InFlight f) {
        if (f.state() == InFlight.ACKED) {
            if (f.fromSpool) {
                ackedSpoolRows++; // counted as sent with their deletion, so sent and spooled move together
            } else {
                meters.sent.incrementAndGet();
            }
            meters.kafkaUp.set(1);
            ackedSinceAway = true;
        } else {
            meters.drop(DropReason.REJECTED, 1);
            LOG.debug("Kafka refused an event for good ({}); it is dropped and counted", describe(f.error()));
        }
        if (f.fromSpool) {
            delivered.add(f.record);
        }
    }

    /** Rule 3: closes the producer at once, settles everything it held, spools what was not acknowledged. */
    private void goAway(String reason) {
        boolean wasUp = !kafkaAway;
        kafkaAway = true;
        spooling = true;
        stallSuspected = false;
        if (producer != null) {
            try {
                producer.close(Duration.ZERO); // returns after every callback ran
            } catch (RuntimeException e) {
                LOG.debug("closing the producer", e);
            }
            producer = null;
        }
        outage.set(null);
        List<OutRecord> back = new ArrayList<>();
        for (InFlight f : inFlight) {
            boolean settled = f.state() == InFlight.ACKED
                    || (f.state() == InFlight.FAILED && InFlight.isPermanent(f.error()));
            if (settled) {
                account(f);
            } else if (!f.fromSpool) { // a spool row stays in the spool until acknowledged
                back.add(f.record);
            }
        }
        inFlight.clear();
        meters.kafkaUp.set(0); // after the accounting above, which counts acknowledgements as signs of life
        directInFlight = 0;
        spoolSentUpTo = 0; // what was in flight is read again from the head, failed direct sends first
        meters.inFlight.set(0);
        deleteDelivered();
        writeSpool(back);
        nextProbeNanos = System.nanoTime() + config.probeInterval().toNanos();
        if (wasUp && ackedSinceAway) { // a topic that never takes records would otherwise warn every probe
            ackedSinceAway = false;
            warnings.accept("Kafka at " + config.bootstrapServers() + " is unreachable (" + reason + "): events go to"
                    + " the spool in " + spool.dir() + " until it returns (" + spool.count() + " spooled)");
        }
    }

    private boolean probe() {
        Boolean back = probe.result();
        if (back == null) {
            if (!probe.running() && System.nanoTime() - nextProbeNanos >= 0) {
                try {
                    probe.start();
                } catch (KafkaException e) { // e.g. no resolvable bootstrap server
                    nextProbeNanos = System.nanoTime() + config.probeInterval().toNanos();
                    closeProbeFailed = stopping;
                    LOG.debug("probe of {} failed to start", config.bootstrapServers(), e);
                }
            }
            return false;
        }
        if (!back) {
            nextProbeNanos = System.nanoTime() + config.probeInterval().toNanos();
            closeProbeFailed = stopping;
            return false;
        }
        kafkaAway = false;
        meters.kafkaUp.set(1);
        probe.close(); // no idle admin connection while Kafka is up
        if (spool.count() > 0) {
            LOG.info("Kafka at {} is reachable: sending the {} spooled events before newer ones",
                    config.bootstrapServers(), spool.count());
        }
        return true;
    }

    /**
     * Sends the next spool rows after those already in flight, up to the in-flight cap: chunks follow each other
     * without waiting for acknowledgements. Safe for the order because a failure aborts the producer and the rows
     * are read again from the oldest unacknowledged one.
     */
    private boolean sendSpoolChunk() {
        if (spool.count() == 0) {
            if (inFlight.isEmpty()) {
                spooling = false; // the spool is drained: back to direct sends
                spoolSentUpTo = 0;
                return true;
            }
            return false;
        }
        if (inFlight.size() + SPOOL_CHUNK > inFlightCap) {
            return false;
        }
        List<OutRecord> rows;
        try {
            rows = spool.head(spoolSentUpTo, SPOOL_CHUNK);
        } catch (SQLException e) {
            LOG.warn("cannot read the event spool in {}: {}", spool.dir(), e.getMessage());
            return false;
        }
        if (rows.isEmpty()) {
            return false; // every row is in flight
        }
        if (!ensureProducer()) {
            return false;
        }
        for (OutRecord r : rows) {
            if (outage.get() != null) {
                break; // the rest stay in the spool; settle() takes Kafka away on the next round
            }
            send(r, true);
        }
        meters.inFlight.set(inFlight.size());
        return true;
    }

    private boolean ensureProducer() {
        if (producer != null) {
            return true;
        }
        try {
            producer = producerFactory.get();
            return true;
        } catch (KafkaException e) {
            goAway("cannot create a producer: " + e.getMessage());
            return false;
        }
    }

    private void writeSpool(List<OutRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        try {
            List<OutRecord> rejected = spool.append(records);
            meters.spoolWrites.addAndGet(records.size() - rejected.size());
            meters.drop(DropReason.SPOOL_FULL, rejected.size());
        } catch (SQLException e) {
            meters.drop(DropReason.SPOOL_ERROR, records.size());
            LOG.warn("cannot write {} events to the spool in {}: {}", records.size(), spool.dir(), e.getMessage());
        }
        updateSpoolMeters();
    }

    private void deleteDelivered() {
        if (delivered.isEmpty()) {
            return;
        }
        try {
            spool.delete(delivered);
        } catch (SQLException e) { // they stay in the spool and are sent again: duplicates, not losses
            LOG.warn("cannot delete {} delivered events from the spool in {}: {}", delivered.size(), spool.dir(),
                    e.getMessage());
        }
        delivered.clear();
        updateSpoolMeters(); // first: a reader never sees an event both sent and spooled
        meters.sent.addAndGet(ackedSpoolRows);
        ackedSpoolRows = 0;
    }

    /**
     * On close, within {@code closeTimeout}: hands what is in memory to Kafka, or to the spool when Kafka is away
     * (one probe decides); while Kafka is up the spool is sent too, so a clean stop leaves nothing behind.
     */
    private void finish() {
        long deadline = System.nanoTime() + config.closeTimeout().toNanos();
        closeProbeFailed = false;
        nextProbeNanos = System.nanoTime(); // no waiting for the probe interval
        while (System.nanoTime() - deadline < 0) {
            boolean worked = step();
            if (queue.isEmpty() && inFlight.isEmpty() && (!spooling || closeProbeFailed)) {
                break;
            }
            if (!worked) {
                LockSupport.parkNanos(IDLE_PARK_NANOS);
            }
        }
        if (!inFlight.isEmpty()) {
            goAway("not acknowledged within the close timeout of " + config.closeTimeout().toMillis() + " ms");
        }
        spooling = true; // whatever is left goes to disk, to be sent by the next start
        drained.clear();
        while (queue.drainTo(drained, DRAIN_BATCH) > 0) {
            for (Object event : drained) {
                OutRecord r = encode(event);
                if (r != null) {
                    toSpool.add(r);
                }
            }
            drained.clear();
            writeSpool(toSpool);
            toSpool.clear();
        }
        logDropsIfDue(true);
    }

    private void logDropsIfDue(boolean now) {
        long t = System.nanoTime();
        if (!now && (t - nextDropCheckNanos < 0 || t - lastDropLogNanos < DROP_LOG_INTERVAL_NANOS)) {
            return; // the clock first: summing the counters is the costly part
        }
        nextDropCheckNanos = t + DROP_CHECK_INTERVAL_NANOS;
        long total = meters.droppedTotal();
        if (total == droppedAtLastLog) {
            return;
        }
        StringBuilder byReason = new StringBuilder();
        for (DropReason r : DropReason.values()) {
            byReason.append(byReason.isEmpty() ? "" : ", ").append(r.tag).append('=').append(meters.dropped(r));
        }
        warnings.accept("dropped " + (total - droppedAtLastLog) + " events that could be kept neither in memory nor"
                + " in the spool (since start: " + byReason + "); spool " + spool.count() + " events, "
                + spool.bytes() + " of " + config.spoolMaxBytes() + " bytes; Kafka " + (kafkaAway ? "away" : "up")
                + ". Raise spoolMaxBytes or memoryQueueCapacity, or bring Kafka back");
        droppedAtLastLog = total;
        lastDropLogNanos = t;
    }

    private OutRecord encode(Object event) {
        try {
            if (event instanceof FrameEvent f) {
                return new OutRecord(nextLseq++, OutRecord.FRAME, f.eventTimeMillis(), utf8(f.connectionId()),
                        FrameEventJson.write(f)); // streaming: databind's serializer look-up cost ~1 µs per event
            }
            NodeMetrics m = (NodeMetrics) event;
            return new OutRecord(nextLseq++, OutRecord.NODE_METRICS, m.timestampMillis(), utf8(m.nodeId()),
                    QpJson.bytes(m));
        } catch (RuntimeException e) {
            meters.drop(DropReason.REJECTED, 1);
            LOG.warn("cannot write an event as JSON; it is dropped and counted: {}", e.getMessage());
            return null;
        }
    }

    /** The event's time; null (the producer's clock) when it is not a usable epoch time. */
    private static Long timestamp(OutRecord r) {
        return r.timestampMillis() > 0 ? r.timestampMillis() : null;
    }

    private String topic(OutRecord r) {
        return r.kind() == OutRecord.FRAME ? config.framesTopic() : config.nodeMetricsTopic();
    }

    private void updateSpoolMeters() {
        meters.spooled.set(spool.count());
        meters.spoolBytes.set(spool.bytes());
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static String describe(Exception e) {
        return e == null ? "unknown error" : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
