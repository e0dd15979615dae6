package qp.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qp.broker.EmbeddedKafka;

/** A gateway process killed (SIGKILL, no close) with events in the spool: the next start sends them. */
class SpoolSurvivesACrashTest {

    @TempDir
    Path spoolDir;

    @Test
    void eventsSpooledBeforeAKillArriveAfterTheNextStart() throws Exception {
        int n = 2_000;
        String p = EmitterTestEvents.prefix();
        try (EmbeddedKafka kafka = EmbeddedKafka.startNew()) { // private: it is stopped
            kafka.createTopics(p + ".frames", p + ".node-metrics");
            kafka.stop();
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), CrashingEmitterMain.class.getName(),
                    kafka.bootstrapServers(), p, spoolDir.toString(), String.valueOf(n))
                    .redirectErrorStream(true).start();
            try {
                String spooled = java.util.concurrent.CompletableFuture
                        .supplyAsync(() -> awaitLine(child, "SPOOLED ")).get(90, TimeUnit.SECONDS);
                assertThat(spooled).isEqualTo("SPOOLED " + n);
            } finally {
                child.destroyForcibly(); // SIGKILL: no close, no flush, no shutdown hook
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(child.exitValue()).isNotZero();

            kafka.restart();
            try (KafkaEventEmitter next = new KafkaEventEmitter(
                    EmitterTestEvents.config(kafka.bootstrapServers(), p, spoolDir, 64 << 20),
                    new SimpleMeterRegistry())) {
                assertThat(next.stats().spooled()).as("read back from disk").isEqualTo(n);
                await().atMost(Duration.ofSeconds(90)).until(() -> next.stats().sent() == n
                        && next.stats().spooled() == 0);
            }
            List<Long> seqs = EmitterTestEvents.seqsByConnection(
                    EmitterTestEvents.readFrames(kafka.bootstrapServers(), p + ".frames", n)).get("c0");
            assertThat(seqs).isEqualTo(EmitterTestEvents.range(0, n));
        }
    }

    /** Reads the child's output until a line starts with {@code prefix}; fails when the child ends first. */
    private static String awaitLine(Process child, String prefix) {
        try {
            return readUntil(child, prefix);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String readUntil(Process child, String prefix) throws java.io.IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line;
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("the child emitter ended without reporting its spool:\n" + seen);
    }
}
