package qp.gateway.events;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qp.gateway.time.GatewayClock;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;

/**
 * Sends frame events and node samples to Kafka without ever making a session wait, spooling to disk while Kafka is
 * away (see {@link EmitterSender} for the ordering rules, {@link DiskSpool} for the spool, the package doc for the
 * state machine and the delivery guarantee).
 *
 * <p>Hot path: {@link #emitFrame} only puts the event on a bounded lock-free queue; encoding, Kafka and disk happen on
 * the one sender thread. A full queue drops the event and counts it ({@code qp.emitter.dropped{reason=queue_full}}).
 *
 * <p>Delivery guarantee: at least once, per key in emission order; when duplicates can happen, and how many, is
 * stated in the package doc.
 */
public final class KafkaEventEmitter implements EventEmitter {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaEventEmitter.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final KafkaEmitterConfig config;
    private final BoundedEventQueue queue;
    private final EmitterMeters meters;
    private final SenderLoop loop;
    private final Thread thread;
    private volatile boolean closed;

    public KafkaEventEmitter(KafkaEmitterConfig config, MeterRegistry registry) {
        this(config, registry, LOG::warn, GatewayClock.system());
    }

    /** {@code warnings} receives the outage and (rate-limited) drop messages; tests read them. */
    KafkaEventEmitter(KafkaEmitterConfig config, MeterRegistry registry, Consumer<String> warnings) {
        this(config, registry, warnings, GatewayClock.system());
    }

    /** {@code clock}: the gateway's clock, for the sender's stall and close deadlines. */
    public KafkaEventEmitter(KafkaEmitterConfig config, MeterRegistry registry, Clock clock) {
        this(config, registry, LOG::warn, clock);
    }

    KafkaEventEmitter(KafkaEmitterConfig config, MeterRegistry registry, Consumer<String> warnings, Clock clock) {
        this.config = config;
        this.queue = new BoundedEventQueue(config.memoryQueueCapacity());
        this.meters = new EmitterMeters(registry, queue::size);
        DiskSpool spool = new DiskSpool(config.spoolDir(), config.spoolMaxBytes());
        int instance = INSTANCES.incrementAndGet();
        KafkaProbe probe = new KafkaProbe(config.bootstrapServers(),
                List.of(config.framesTopic(), config.nodeMetricsTopic()),
                (int) Math.max(2_000, config.kafkaStallTimeout().toMillis())); // a busy broker still answers
        try {
            Map<String, Object> producerProps = producerProperties(config, instance);
            long deliveryTimeoutMs = Long.parseLong(
                    String.valueOf(producerProps.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)));
            EmitterSender sender = new EmitterSender(config, queue, spool, probe,
                    () -> new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer()),
                    deliveryTimeoutMs, meters, warnings, GatewayClock.nanos(clock));
            this.loop = new SenderLoop(sender, clock, config.closeTimeout().toNanos());
        } catch (SpoolException e) {
            spool.close();
            throw new IllegalStateException(e.getMessage(), e);
        }
        if (meters.spooled.get() > 0) {
            LOG.info("event spool {} holds {} events from an earlier run; they are sent before new ones",
                    config.spoolDir(), meters.spooled.get());
        }
        this.thread = new Thread(loop, "qp-event-sender-" + instance);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void emitFrame(FrameEvent event) {
        offer(event);
    }

    @Override
    public void emitNodeMetrics(NodeMetrics sample) {
        offer(sample);
    }

    private void offer(Object event) {
        if (closed) {
            meters.drop(DropReason.CLOSED, 1);
        } else if (!queue.offer(event)) {
            meters.drop(DropReason.QUEUE_FULL, 1);
        }
    }

    @Override
    public EmitterStats stats() {
        return new EmitterStats(queue.size(), meters.spooled.get(), meters.sent.get(), meters.droppedTotal(),
                meters.kafkaUp.get() == 1);
    }

    /** Hands what is in memory to Kafka, or to the spool when Kafka is away, within {@code closeTimeout}. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        loop.stop();
        try {
            thread.join(config.closeTimeout().toMillis() + 5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("event sender did not stop within {} ms; {} events in memory may be lost",
                    config.closeTimeout().toMillis() + 5_000, queue.size());
            return;
        }
        // an emit that passed the closed check while the sender was finishing: counted, not silently lost
        List<Object> late = new java.util.ArrayList<>();
        int n = queue.drainTo(late, Integer.MAX_VALUE);
        if (n > 0) {
            meters.drop(DropReason.CLOSED, n);
            LOG.warn("{} events emitted during close were dropped (qp.emitter.dropped, reason=closed)", n);
        }
    }

    static Map<String, Object> producerProperties(KafkaEmitterConfig config, int instance) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "qp-emitter-" + instance);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5); // the most idempotence keeps in order
        // fewer, larger produce requests: per-request work in the producer and the broker dominated at 10 ms / 128 KB;
        // under the broker's default message.max.bytes (1 MB), which a batch must not exceed
        p.put(ProducerConfig.LINGER_MS_CONFIG, 25);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024); // every batch takes batch.size, however full
        // binary frame events still shrink ~4x in a batch (~24 B each on the wire, not ~102 B: their strings repeat);
        // with none the gateway used no less CPU under the benchmark (it sends 4x the bytes), the broker twice as much
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // a session never waits on these; they bound how long the sender thread waits before it spools
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000);
        // the producer never expires batches itself in practice: the sender aborts a stall at half this (see there)
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        p.putAll(config.producerOverrides());
        return Map.copyOf(p);
    }
}
