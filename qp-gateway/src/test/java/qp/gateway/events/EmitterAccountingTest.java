package qp.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qp.broker.EmbeddedKafka;
import qp.protocol.events.FrameEvent;

/** Every event is accounted for: sent, spooled or counted as dropped, whatever the timing. */
class EmitterAccountingTest {
    private static final EmbeddedKafka KAFKA = EmbeddedKafka.shared();

    @TempDir
    Path spoolDir;

    @Test
    void aTinyMemoryQueueDropsAndCountsWhatItCannotHold() throws Exception {
        String p = EmitterTestEvents.prefix();
        KAFKA.createTopics(p + ".frames", p + ".node-metrics");
        KafkaEmitterConfig config = new KafkaEmitterConfig(KAFKA.bootstrapServers(), p + ".frames",
                p + ".node-metrics", spoolDir, 64 << 20, 16);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<String> warnings = new CopyOnWriteArrayList<>();
        int n = 200_000;
        try (KafkaEventEmitter emitter = new KafkaEventEmitter(config, registry, warnings::add)) {
            for (int seq = 0; seq < n; seq++) {
                emitter.emitFrame(EmitterTestEvents.frame("c" + (seq % 4), seq));
            }
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                EmitterStats s = emitter.stats();
                return s.queueDepth() == 0 && s.spooled() == 0 && s.sent() + s.dropped() == n;
            });
            EmitterStats s = emitter.stats();
            // a queue of 16 cannot hold a tight loop of emits: the sender takes microseconds for what an emit does in
            // nanoseconds, so most of them are dropped
            assertThat(s.dropped()).as("dropped of %d emitted into a queue of 16", n).isPositive();
            double queueFull = registry.get("qp.emitter.dropped").tag("reason", "queue_full").functionCounter().count();
            assertThat(queueFull).isEqualTo((double) s.dropped());
            await().atMost(Duration.ofSeconds(30)).until(() -> warnings.stream()
                    .anyMatch(w -> w.startsWith("dropped ") && w.contains("queue_full=")));
            // read back from Kafka: exactly the events not counted as dropped arrived, each once
            List<FrameEvent> arrived = EmitterTestEvents.readFrames(KAFKA.bootstrapServers(), p + ".frames",
                    (int) (n - s.dropped()));
            assertThat(arrived).as("events in the topic").hasSize((int) (n - s.dropped()));
            assertThat(arrived.stream().map(e -> e.connectionId() + "/" + e.seq()).distinct().count())
                    .as("distinct events in the topic").isEqualTo(n - s.dropped());
        }
    }
}
