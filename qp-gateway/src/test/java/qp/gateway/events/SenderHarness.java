package qp.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import qp.protocol.events.FrameEventCodec;

/**
 * The sender's test bench: an {@link EmitterSender} stepped on the test thread at a time the test sets, with producers
 * whose acknowledgements the test hands out one by one (MockProducer), a liveness probe the test answers
 * ({@link FakeLiveness}) and an in-memory spool. Nothing here waits for a thread or a clock.
 */
final class SenderHarness {
    static final Duration PROBE_INTERVAL = Duration.ofMillis(20);

    final BoundedEventQueue queue = new BoundedEventQueue(200_000);
    final FakeLiveness liveness = new FakeLiveness();
    final List<MockProducer<byte[], byte[]>> producers = new CopyOnWriteArrayList<>();
    final EmitterMeters meters = new EmitterMeters(new SimpleMeterRegistry(), queue::size);
    final List<String> warnings = new CopyOnWriteArrayList<>();
    final MemorySpool spool;
    final EmitterSender sender;
    long now = 1_000_000_000L;

    SenderHarness(Duration stall) throws Exception {
        this(stall, 64 << 20);
    }

    SenderHarness(Duration stall, long spoolMaxBytes) throws Exception {
        spool = new MemorySpool(spoolMaxBytes);
        KafkaEmitterConfig config = EmitterTestEvents.config("mock:9092", "t", java.nio.file.Path.of("unused"),
                spoolMaxBytes).withTimeouts(stall, PROBE_INTERVAL, Duration.ofSeconds(1));
        sender = new EmitterSender(config, queue, spool, liveness, () -> {
            MockProducer<byte[], byte[]> p = new MockProducer<>(false, null, new ByteArraySerializer(),
                    new ByteArraySerializer());
            producers.add(p);
            return p;
        }, 120_000, meters, warnings::add, now);
        settle();
        assertThat(sender.state()).as("the first probe answered").isEqualTo(SenderState.DIRECT);
    }

    void emit(long fromSeq, long toSeq) {
        for (long seq = fromSeq; seq < toSeq; seq++) {
            assertThat(queue.offer(EmitterTestEvents.frame("c0", seq))).isTrue();
        }
    }

    /** Steps without moving time until three steps in a row find nothing to do. */
    void settle() {
        int idle = 0;
        for (int i = 0; i < 100_000 && idle < 3; i++) {
            idle = sender.step(now) ? 0 : idle + 1;
        }
        assertThat(idle).as("the sender comes to rest").isEqualTo(3);
    }

    /** Moves time in steps of at most the probe interval, settling after each. */
    void advance(Duration d) {
        long left = d.toNanos();
        while (left > 0) {
            long by = Math.min(left, PROBE_INTERVAL.toNanos());
            now += by;
            left -= by;
            settle();
        }
    }

    /** Kafka acknowledges everything it was given, including what the sender hands it meanwhile. */
    void acknowledgeAll(MockProducer<byte[], byte[]> producer) {
        do {
            while (producer.completeNext()) {
                // acknowledge
            }
            settle();
        } while (producer.completeNext() || !queue.isEmpty());
        settle();
    }

    /** The seq of each frame event the producer was given, in the order it was given them. */
    static List<Long> seqs(MockProducer<byte[], byte[]> producer) {
        return producer.history().stream().map(r -> FrameEventCodec.decode(r.value()).seq()).toList();
    }
}
