package qp.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static qp.gateway.events.EmitterTestEvents.config;
import static qp.gateway.events.EmitterTestEvents.frame;
import static qp.gateway.events.EmitterTestEvents.prefix;
import static qp.gateway.events.EmitterTestEvents.range;
import static qp.gateway.events.EmitterTestEvents.readFrames;
import static qp.gateway.events.EmitterTestEvents.seqsByConnection;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qp.protocol.events.EventEncoding;
import qp.protocol.events.FrameEvent;
import qp.broker.EmbeddedKafka;

/** Kafka goes away and comes back: a private broker, since these tests stop it. */
class KafkaEmitterOutageTest {
    private static final Duration LONG = Duration.ofSeconds(90);
    private static EmbeddedKafka kafka;

    @TempDir
    Path spoolDir;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.startNew();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @BeforeEach
    void brokerUp() {
        kafka.restart();
    }

    @Test
    void everyEventArrivesInOrderAfterAnOutage() throws Exception {
        String p = prefix();
        kafka.createTopics(p + ".frames:3", p + ".node-metrics");
        int connections = 5;
        long[] next = new long[connections];
        try (KafkaEventEmitter emitter = new KafkaEventEmitter(
                config(kafka.bootstrapServers(), p, spoolDir, 64 << 20), new SimpleMeterRegistry())) {
            emitRound(emitter, next, 100);
            await().atMost(LONG).until(() -> emitter.stats().sent() == total(next));

            long sentBeforeOutage = emitter.stats().sent();
            long emittedBeforeOutage = total(next);
            kafka.stop();
            for (int i = 0; i < 30; i++) { // thousands while the broker is down, in bursts
                emitRound(emitter, next, 100);
                // a gateway emits at the pace of its sessions: a burst waits for the sender to keep up (not timing)
                await().atMost(LONG).until(() -> emitter.stats().queueDepth() < 2_000);
            }
            await().atMost(LONG).until(() -> !emitter.stats().kafkaUp() && emitter.stats().spooled() > 0);
            emitRound(emitter, next, 200);
            long emittedWhileDown = total(next) - emittedBeforeOutage; // the emitFrame calls this test made
            // Kafka away: each of those events waits in the spool on disk; none is left in memory, acknowledged or dropped
            await().atMost(LONG).untilAsserted(() -> {
                EmitterStats down = emitter.stats();
                assertThat(down.queueDepth()).as("events in memory while Kafka is away").isZero();
                assertThat(down.spooled()).as("events in the spool, of %d emitted while Kafka was away",
                        emittedWhileDown).isEqualTo(emittedWhileDown);
            });
            EmitterStats down = emitter.stats();
            assertThat(down.sent()).as("acknowledged while Kafka was away").isEqualTo(sentBeforeOutage);
            assertThat(down.dropped()).as("dropped while Kafka was away").isZero();

            kafka.restart();
            emitRound(emitter, next, 100);
            // sent counts an acknowledgement before the spool row is deleted: wait for both
            await().atMost(LONG).until(() -> emitter.stats().sent() >= total(next) && emitter.stats().spooled() == 0);
            EmitterStats s = emitter.stats();
            assertThat(s.sent()).isEqualTo(total(next));
            assertThat(s.dropped()).isZero();
            assertThat(s.kafkaUp()).isTrue();
        }
        List<FrameEvent> arrived = readFrames(kafka.bootstrapServers(), p + ".frames", (int) total(next));
        // Duplicates could only come from a batch Kafka wrote without the ack reaching the emitter; here every
        // event before the stop was acknowledged first and nothing was written while the broker was down: zero.
        Set<String> identities = new HashSet<>();
        long duplicates = arrived.stream().filter(e -> !identities.add(e.connectionId() + "/" + e.seq())).count();
        assertThat(duplicates).isZero();
        Map<String, List<Long>> seqs = seqsByConnection(arrived);
        assertThat(seqs).hasSize(connections);
        for (int c = 0; c < connections; c++) {
            assertThat(seqs.get("c" + c)).as("connection c%d", c).isEqualTo(range(0, next[c]));
        }
    }

    @Test
    void overflowOfATinySpoolIsCountedAndLoggedAndTheEmitterRecovers() throws Exception {
        String p = prefix();
        kafka.createTopics(p + ".frames", p + ".node-metrics");
        kafka.stop();
        List<String> warnings = new CopyOnWriteArrayList<>();
        long spoolMax = 40_000; // about 130 frame events
        long[] next = new long[1];
        try (KafkaEventEmitter emitter = new KafkaEventEmitter(
                config(kafka.bootstrapServers(), p, spoolDir, spoolMax), new SimpleMeterRegistry(), warnings::add)) {
            emitRound(emitter, next, 1000);
            await().atMost(LONG).until(() -> emitter.stats().spooled() + emitter.stats().dropped() == 1000);
            EmitterStats down = emitter.stats();
            assertThat(down.dropped()).isPositive();
            assertThat(down.spooled()).isPositive();
            assertThat(down.sent()).isZero();
            await().atMost(LONG).until(() -> warnings.stream().anyMatch(w -> w.startsWith("dropped ")
                    && w.contains("spool_full=" + down.dropped())));

            kafka.restart();
            await().atMost(LONG).until(() -> emitter.stats().sent() == down.spooled());
            emitRound(emitter, next, 100); // after the spool drained: these have room again
            await().atMost(LONG).until(() -> emitter.stats().sent() == down.spooled() + 100);
            assertThat(emitter.stats().dropped()).isEqualTo(down.dropped());
            // the spool keeps the oldest events: the first ones arrive, then the ones after the outage
            List<Long> seqs = seqsByConnection(readFrames(kafka.bootstrapServers(), p + ".frames",
                    (int) down.spooled() + 100)).get("c0");
            List<Long> expected = range(0, down.spooled());
            expected.addAll(range(1000, 1100));
            assertThat(seqs).isEqualTo(expected);
        }
    }

    @Test
    void spooledEventsSurviveARestartOfTheEmitter() throws Exception {
        String p = prefix();
        kafka.createTopics(p + ".frames", p + ".node-metrics");
        kafka.stop();
        long[] next = new long[2];
        KafkaEmitterConfig config = config(kafka.bootstrapServers(), p, spoolDir, 64 << 20);
        KafkaEventEmitter first = new KafkaEventEmitter(config, new SimpleMeterRegistry());
        emitRound(first, next, 1500);
        first.close(); // Kafka away: close puts what is in memory into the spool
        assertThat(first.stats().spooled()).isEqualTo(3000);
        assertThat(first.stats().sent()).isZero();

        kafka.restart();
        try (KafkaEventEmitter second = new KafkaEventEmitter(config, new SimpleMeterRegistry())) {
            assertThat(second.stats().spooled()).as("read back from disk").isEqualTo(3000);
            emitRound(second, next, 100);
            // sent counts an acknowledgement before the spool row is deleted: wait for both
            await().atMost(LONG).until(() -> second.stats().sent() == 3200 && second.stats().spooled() == 0);
        }
        Map<String, List<Long>> seqs = seqsByConnection(readFrames(kafka.bootstrapServers(), p + ".frames", 3200));
        assertThat(seqs.get("c0")).isEqualTo(range(0, 1600));
        assertThat(seqs.get("c1")).isEqualTo(range(0, 1600));
    }

    /** An upgrade: the spool of a gateway that wrote JSON is sent as it is by the new one, which writes binary. */
    @Test
    void jsonSpooledBeforeTheUpgradeIsDeliveredBesideTheBinaryEventsAfterIt() throws Exception {
        String p = prefix();
        kafka.createTopics(p + ".frames", p + ".node-metrics");
        kafka.stop();
        long[] next = new long[2];
        KafkaEmitterConfig binary = config(kafka.bootstrapServers(), p, spoolDir, 64 << 20);
        KafkaEventEmitter old = new KafkaEventEmitter(binary.withEventFormat(EventFormat.JSON), new SimpleMeterRegistry());
        emitRound(old, next, 200);
        old.close();
        assertThat(old.stats().spooled()).isEqualTo(400);

        kafka.restart();
        try (KafkaEventEmitter upgraded = new KafkaEventEmitter(binary, new SimpleMeterRegistry())) {
            emitRound(upgraded, next, 100);
            await().atMost(LONG).until(() -> upgraded.stats().sent() == 600 && upgraded.stats().spooled() == 0);
        }
        List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> records = qp.testsupport.kafka.KafkaRecords
                .readAll(kafka.bootstrapServers(), p + ".frames", 600, LONG, false);
        Map<EventEncoding.Format, Long> formats = records.stream().collect(java.util.stream.Collectors.groupingBy(
                r -> EventEncoding.formatOf(r.value()), java.util.stream.Collectors.counting()));
        assertThat(formats).isEqualTo(Map.of(EventEncoding.Format.JSON, 400L, EventEncoding.Format.BINARY, 200L));
        Map<String, List<Long>> seqs = seqsByConnection(readFrames(kafka.bootstrapServers(), p + ".frames", 600));
        assertThat(seqs.get("c0")).isEqualTo(range(0, 300));
        assertThat(seqs.get("c1")).isEqualTo(range(0, 300));
    }

    private static void emitRound(KafkaEventEmitter emitter, long[] next, int perConnection) {
        for (int i = 0; i < perConnection; i++) {
            for (int c = 0; c < next.length; c++) {
                emitter.emitFrame(frame("c" + c, next[c]++));
            }
        }
    }

    private static long total(long[] next) {
        long t = 0;
        for (long n : next) {
            t += n;
        }
        return t;
    }
}
