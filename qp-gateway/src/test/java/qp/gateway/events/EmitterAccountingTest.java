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
            double queueFull = registry.get("qp.emitter.dropped").tag("reason", "queue_full").functionCounter().count();
            assertThat(queueFull).isEqualTo((double) s.dropped());
            if (s.dropped() > 0) {
                await().atMost(Duration.ofSeconds(30)).until(() -> warnings.stream()
                        .anyMatch(w -> w.startsWith("dropped ") && w.contains("queue_full=")));
            }
        }
    }
}
