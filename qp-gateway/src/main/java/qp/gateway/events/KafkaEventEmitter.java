package qp.gateway.events;

import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;

/**
 * Sends frame events and node samples to Kafka without ever making a session wait, spooling to disk while Kafka is
 * away (see {@link EmitterSender} for the ordering rules, {@link DiskSpool} for the spool).
 *
 * <p>Hot path: {@link #emitFrame} only puts the event on a bounded lock-free queue; JSON, Kafka and disk happen on
 * the one sender thread. A full queue drops the event and counts it ({@code qp.emitter.dropped{reason=queue_full}}).
 *
 * <p>Delivery guarantee: at least once, per key in emission order, with an idempotent producer ({@code acks=all}).
 * Duplicates can happen, and only in these cases: (1) the process stops between Kafka acknowledging spooled events
 * and their deletion from the spool (they are sent again by the next start); (2) Kafka wrote a batch but its
 * acknowledgement did not reach the emitter before the outage was declared (stall timeout, broker crash after the
 * write): the batch is spooled and sent again; (3) a spool delete fails on disk. A clean outage (broker unreachable,
 * nothing half-written) gives no duplicates. Consumers dedupe by (nodeId, connectionId, seq) of {@link FrameEvent}
 * and (nodeId, timestampMillis) of {@link NodeMetrics}. Events are lost only when they are counted as dropped, or
 * if the machine loses power within the last synchronous=NORMAL commit of the spool.
 */
public final class KafkaEventEmitter implements EventEmitter {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaEventEmitter.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final KafkaEmitterConfig config;
    private final BoundedEventQueue queue;
    private final EmitterMeters meters;
    private final EmitterSender sender;
    private final Thread thread;
    private volatile boolean closed;

    public KafkaEventEmitter(KafkaEmitterConfig config, MeterRegistry registry) {
        this(config, registry, LOG::warn);
    }

    /** {@code warnings} receives the outage and (rate-limited) drop messages; tests read them. */
    KafkaEventEmitter(KafkaEmitterConfig config, MeterRegistry registry, Consumer<String> warnings) {
        this.config = config;
        this.queue = new BoundedEventQueue(config.memoryQueueCapacity());
        this.meters = new EmitterMeters(registry, queue::size);
        DiskSpool spool = new DiskSpool(config.spoolDir(), config.spoolMaxBytes());
        int instance = INSTANCES.incrementAndGet();
        KafkaProbe probe = new KafkaProbe(config.bootstrapServers(),
                List.of(config.framesTopic(), config.nodeMetricsTopic()),
                (int) Math.max(500, config.kafkaStallTimeout().toMillis()));
        try {
            this.sender = new EmitterSender(config, queue, spool, probe, () -> newProducer(config, instance), meters,
                    warnings);
        } catch (SQLException e) {
            spool.close();
            throw new IllegalStateException("cannot read the event spool in " + config.spoolDir() + ": "
                    + e.getMessage(), e);
        }
        if (meters.spooled.get() > 0) {
            LOG.info("event spool {} holds {} events from an earlier run; they are sent before new ones",
                    config.spoolDir(), meters.spooled.get());
        }
        this.thread = new Thread(sender, "qp-event-sender-" + instance);
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
        sender.stop();
        try {
            thread.join(config.closeTimeout().toMillis() + 5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("event sender did not stop within {} ms; {} events in memory may be lost",
                    config.closeTimeout().toMillis() + 5_000, queue.size());
        }
    }

    static Producer<byte[], byte[]> newProducer(KafkaEmitterConfig config, int instance) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "qp-emitter-" + instance);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5); // the most idempotence keeps in order
        p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"); // pure-Java fallback, cheap on CPU; JSON shrinks ~4x
        // a session never waits on these; they bound how long the sender thread waits before it spools
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        p.putAll(config.producerOverrides());
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
