package qp.gateway.events;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes events from the memory queue to Kafka or to the spool, one synchronous {@link #step(long)} at a time,
 * as the state machine of {@link SenderState} says (drawn in the package doc). It never reads a clock: the time
 * of each step is given, so tests step time instead of waiting for it; {@link SenderLoop} runs it on its thread.
 *
 * <p>Ordering: the three rules drawn in the package doc (once spooled, newer events follow into the spool until it is
 * empty; the spool is read only when no direct send is in flight; Kafka lost means the producer is aborted and
 * the spool read again from its oldest row) keep Kafka in emission order per key.
 *
 * <p>Backpressure, not the spool, while Kafka is up: past the in-flight cap the sender stops taking events from
 * the memory queue until acknowledgements free room, so a broker that is only slower than the sessions for a
 * while costs queue space, not disk writes; past the queue's capacity new events are dropped and counted.
 */
final class EmitterSender {
    private static final Logger LOG = LoggerFactory.getLogger(EmitterSender.class);
    private static final int DRAIN_BATCH = 4096;
    /** records handed to the producer and not yet acknowledged; past it newer events wait in the memory queue. Room
     *  for ~1 s of events at 100 k/s, so a broker slowed by a busy machine is not held to a few batches at a time
     *  (a benchmark round dropped 10 503 events at the full queue with 20 000 while Kafka was up); well under what
     *  fills the producer's buffer.memory (64 MB: 128 batches), where send() would block and fail as if Kafka were away */
    static final int IN_FLIGHT_CAP = 100_000;

    private final KafkaEmitterConfig config;
    private final BoundedEventQueue queue;
    private final Spool spool;
    private final Supplier<Producer<byte[], byte[]>> producerFactory;
    private final EmitterMeters meters;
    private final EventEncoder encoder;
    private final InFlightWindow inFlight = new InFlightWindow();
    private final SpoolChunks chunks;
    private final StallWatch stallWatch;
    private final Prober prober;
    private final DeliveryAccounting accounting;
    private final DropLog dropLog;
    private final OutageNotice outageNotice;
    private final List<Object> drained = new ArrayList<>(DRAIN_BATCH);
    private final List<OutRecord> toSpool = new ArrayList<>();

    private SenderState state = SenderState.PROBING; // Kafka is asked first; the spool may hold an earlier run's events
    /** the producer while Kafka is up; null while away */
    private ProducerLink link;

    EmitterSender(KafkaEmitterConfig config, BoundedEventQueue queue, Spool spool, KafkaLiveness liveness,
            Supplier<Producer<byte[], byte[]>> producerFactory, long deliveryTimeoutMs, EmitterMeters meters,
            Consumer<String> warnings, long nowNanos) throws SpoolException {
        this.config = config;
        this.queue = queue;
        this.spool = spool;
        this.producerFactory = producerFactory;
        this.meters = meters;
        this.encoder = new EventEncoder(spool.maxLseq() + 1, meters, config.eventFormat()); // behind what the last run spooled
        this.chunks = new SpoolChunks(spool);
        this.stallWatch = new StallWatch(config.kafkaStallTimeout().toNanos(), deliveryTimeoutMs * 1_000_000);
        this.prober = new Prober(liveness, config.probeInterval().toNanos(), nowNanos);
        this.accounting = new DeliveryAccounting(spool, meters);
        this.dropLog = new DropLog(meters, warnings, config.spoolMaxBytes(), nowNanos);
        this.outageNotice = new OutageNotice(warnings, config.bootstrapServers());
    }

    /** One round at time {@code nowNanos}: settle acknowledgements, move what is queued, probe or read the spool.
     *  True when it did work. */
    boolean step(long nowNanos) {
        boolean worked = settle(nowNanos);
        drained.clear();
        int room = drainRoom();
        if (room > 0 && queue.drainTo(drained, room) > 0) {
            worked = true;
            encoder.touch(drained);
            for (Object event : drained) {
                OutRecord r = encoder.encode(event);
                if (r != null) {
                    route(r, nowNanos);
                }
            }
            accounting.spool(toSpool);
            toSpool.clear();
        }
        if (inFlight.direct() == 0) { // rule 2: direct sends settle before the spool is read
            if (state == SenderState.PROBING) {
                worked |= probe(nowNanos);
            } else if (state == SenderState.DRAINING_SPOOL) {
                worked |= sendSpoolChunk(nowNanos);
            }
        }
        dropLog.warnIfDue(nowNanos, false, spool, state);
        return worked;
    }

    SenderState state() {
        return state;
    }

    /** While Kafka is up, no more than the in-flight cap leaves room for: the rest wait in the queue. */
    private int drainRoom() {
        return state.sendsDirect() ? Math.max(0, Math.min(DRAIN_BATCH, IN_FLIGHT_CAP - inFlight.size())) : DRAIN_BATCH;
    }

    private void route(OutRecord r, long nowNanos) {
        if (state.sendsDirect() && link != null && link.failure() != null) {
            kafkaLost(link.failure(), nowNanos);
        }
        if (!state.sendsDirect() || !ensureLink(nowNanos)) {
            toSpool.add(r); // rule 1
            return;
        }
        inFlight.add(link.send(r, topic(r), false, nowNanos));
    }

    /** Takes settled records off the head of the in-flight window; watches for stalls and lost connections. */
    private boolean settle(long nowNanos) {
        if (inFlight.isEmpty()) {
            move(SenderState.Signal.CAUGHT_UP);
            return false;
        }
        String lost = link.failure();
        if (lost == null) {
            lost = switch (stallWatch.judge(inFlight.head(), nowNanos)) {
                case ON_TIME -> {
                    move(SenderState.Signal.CAUGHT_UP);
                    yield null;
                }
                case OVERDUE -> stalled(nowNanos);
                case ABORT -> "no acknowledgement within " + stallWatch.abortMillis() + " ms although Kafka answers";
            };
        }
        if (lost != null) {
            kafkaLost(lost, nowNanos);
            return true;
        }
        boolean worked = false;
        InFlight head;
        while ((head = inFlight.head()) != null && head.state() != InFlight.PENDING) {
            if (!head.settledForGood()) {
                kafkaLost(InFlight.describe(head.error()), nowNanos);
                return true;
            }
            inFlight.pollHead();
            accounting.settled(head);
            worked = true;
        }
        accounting.deleteDelivered();
        meters.inFlight.set(inFlight.size());
        return worked;
    }

    /** The oldest record is overdue: newer events go to the spool; a probe decides between slow and away. */
    private String stalled(long nowNanos) {
        if (state != SenderState.STALLED) {
            move(SenderState.Signal.OLDEST_OVERDUE);
            prober.askAfresh(nowNanos); // a fresh answer, not one started before the stall
        }
        return prober.whileStalled(nowNanos, stallWatch.stallMillis());
    }

    /** Rule 3: aborts the producer, settles what it held, spools what was not acknowledged, probes from now on. */
    private void kafkaLost(String reason, long nowNanos) {
        boolean wasUp = state.kafkaUp();
        move(SenderState.Signal.KAFKA_LOST);
        if (link != null) {
            link.abort();
            link = null;
        }
        List<OutRecord> back = new ArrayList<>();
        for (InFlight f : inFlight.takeAll()) {
            if (f.settledForGood()) {
                accounting.settled(f);
            } else if (!f.fromSpool) { // a spool row stays in the spool until acknowledged
                back.add(f.record);
            }
        }
        meters.kafkaUp.set(0); // after the accounting above, which counts acknowledgements as signs of life
        meters.inFlight.set(0);
        chunks.rewind(); // what was in flight is read again from the head, failed direct sends first
        accounting.deleteDelivered();
        accounting.spool(back);
        prober.askLater(nowNanos);
        outageNotice.kafkaLost(wasUp, accounting.acknowledged(), reason, spool);
    }

    private boolean probe(long nowNanos) {
        if (!prober.kafkaBack(nowNanos)) {
            return false;
        }
        move(SenderState.Signal.KAFKA_ANSWERS);
        meters.kafkaUp.set(1);
        prober.close(); // no idle admin connection while Kafka is up
        if (spool.count() > 0) {
            LOG.info("Kafka at {} is reachable: sending the {} spooled events before newer ones",
                    config.bootstrapServers(), spool.count());
        }
        return true;
    }

    /** Sends the next spool rows after those in flight, up to the in-flight cap, without waiting for acks. */
    private boolean sendSpoolChunk(long nowNanos) {
        if (spool.count() == 0) {
            if (inFlight.isEmpty()) {
                move(SenderState.Signal.SPOOL_EMPTY); // back to direct sends
                chunks.rewind();
                return true;
            }
            return false;
        }
        if (inFlight.size() + SpoolChunks.CHUNK > IN_FLIGHT_CAP) {
            return false;
        }
        List<OutRecord> rows;
        try {
            rows = chunks.next();
        } catch (SpoolException e) {
            LOG.warn("{}", e.getMessage());
            return false;
        }
        if (rows.isEmpty() || !ensureLink(nowNanos)) {
            return false; // every row is in flight, or Kafka was lost making a producer
        }
        for (OutRecord r : rows) {
            if (link.failure() != null) {
                break; // the rest stay in the spool; settle() takes Kafka away on the next round
            }
            inFlight.add(link.send(r, topic(r), true, nowNanos));
            chunks.handedOut(r);
        }
        meters.inFlight.set(inFlight.size());
        return true;
    }

    private boolean ensureLink(long nowNanos) {
        if (link != null) {
            return true;
        }
        try {
            link = new ProducerLink(producerFactory.get());
            return true;
        } catch (KafkaException e) {
            kafkaLost("cannot create a producer: " + e.getMessage(), nowNanos);
            return false;
        }
    }

    private void move(SenderState.Signal signal) {
        SenderState next = state.on(signal);
        if (next != state) {
            LOG.debug("event sender: {} -> {} ({})", state, next, signal);
            state = next;
        }
    }

    /** Close, first part: the next probe is due at once, and a "no" from here on ends the wait for Kafka. */
    long beginClose(long nowNanos) {
        prober.askSoon(nowNanos);
        return prober.noAnswers();
    }

    /** Nothing in memory or in flight, and the spool is sent too or Kafka did not answer since the close began. */
    boolean closeSettled(long noAnswersAtClose) {
        return queue.isEmpty() && inFlight.isEmpty()
                && (state == SenderState.DIRECT || prober.noAnswers() > noAnswersAtClose);
    }

    /** Close, last part: what is not acknowledged goes to the spool with what is left in memory, for the next start. */
    void endClose(long nowNanos) {
        if (!inFlight.isEmpty()) {
            kafkaLost("not acknowledged within the close timeout of " + config.closeTimeout().toMillis() + " ms",
                    nowNanos);
        }
        drained.clear();
        while (queue.drainTo(drained, DRAIN_BATCH) > 0) {
            for (Object event : drained) {
                OutRecord r = encoder.encode(event);
                if (r != null) {
                    toSpool.add(r);
                }
            }
            drained.clear();
            accounting.spool(toSpool);
            toSpool.clear();
        }
        dropLog.warnIfDue(nowNanos, true, spool, state);
    }

    /** Releases the producer, the probe's connection and the spool. */
    void release() {
        if (link != null) {
            link.abort();
            link = null;
        }
        prober.close();
        spool.close();
    }

    private String topic(OutRecord r) {
        return r.kind() == OutRecord.FRAME ? config.framesTopic() : config.nodeMetricsTopic();
    }
}
