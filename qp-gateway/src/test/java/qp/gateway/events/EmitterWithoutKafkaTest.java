package qp.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No broker at all: the emitter spools, closes, and reports unusable settings clearly. */
class EmitterWithoutKafkaTest {

    @TempDir
    Path dir;

    @Test
    void anUnresolvableBootstrapServerMeansSpoolingAndAClose() {
        KafkaEventEmitter emitter = new KafkaEventEmitter(EmitterTestEvents.config("qp-no-such-host.invalid:9092",
                "nowhere", dir, 64 << 20), new SimpleMeterRegistry());
        for (int seq = 0; seq < 100; seq++) {
            emitter.emitFrame(EmitterTestEvents.frame("c0", seq));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> emitter.stats().spooled() == 100);
        emitter.close();
        EmitterStats s = emitter.stats();
        assertThat(s.spooled()).isEqualTo(100);
        assertThat(s.kafkaUp()).isFalse();
        assertThat(s.sent()).isZero();
        assertThat(s.dropped()).isZero();
    }

    @Test
    void aSecondEmitterOnTheSameSpoolIsRefusedWithAReason() {
        KafkaEmitterConfig config = EmitterTestEvents.config("localhost:1", "nowhere", dir, 64 << 20);
        try (KafkaEventEmitter first = new KafkaEventEmitter(config, new SimpleMeterRegistry())) {
            assertThatThrownBy(() -> new KafkaEventEmitter(config, new SimpleMeterRegistry()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use by another emitter");
            first.emitFrame(EmitterTestEvents.frame("c0", 0));
        }
    }

    @Test
    void aSpoolDirThatIsAFileIsRefusedWithAReason() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        assertThatThrownBy(() -> new KafkaEventEmitter(EmitterTestEvents.config("localhost:1", "nowhere", file,
                64 << 20), new SimpleMeterRegistry()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot open the event spool in " + file);
    }
}
