package qp.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qp.gateway.GatewayConfig;
import qp.gateway.GatewayServer;
import qp.gateway.events.EmitterStats;
import qp.gateway.events.EventEmitter;
import qp.gateway.events.KafkaEmitterConfig;
import qp.gateway.events.KafkaEventEmitter;
import qp.client.QpClient;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;
import qp.protocol.frame.MessageType;
import qp.protocol.json.QpJson;
import qp.broker.EmbeddedKafka;

/**
 * Real QP traffic through gateway A lands in Kafka; {@code export} writes it to a file; {@code replay --to ws://}
 * plays it against gateway B, which sees the same frames per type and direction.
 */
class ReplayToGatewayTest {
    static final EmbeddedKafka KAFKA = EmbeddedKafka.shared();
    static final String TOKEN = "client-secret";
    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    static GatewayConfig config(String node) {
        return GatewayConfig.builder().host("127.0.0.1").port(0).adminHost("127.0.0.1").adminPort(0).nodeId(node)
                .clientToken(TOKEN).adminToken("admin-secret").ioThreads(2).shutdownGrace(Duration.ofSeconds(3)).build();
    }

    /** Keeps gateway B's frame events in memory. */
    static final class Collecting implements EventEmitter {
        final ConcurrentLinkedQueue<FrameEvent> frames = new ConcurrentLinkedQueue<>();

        @Override
        public void emitFrame(FrameEvent event) {
            frames.add(event);
        }

        @Override
        public void emitNodeMetrics(NodeMetrics sample) {
        }

        @Override
        public EmitterStats stats() {
            return new EmitterStats(0, 0, frames.size(), 0, true);
        }

        @Override
        public void close() {
        }
    }

    static Map<String, Long> perTypeAndDirection(java.util.Collection<FrameEvent> events) {
        return events.stream().collect(Collectors.groupingBy(e -> e.direction() + " " + e.type(),
                java.util.TreeMap::new, Collectors.counting()));
    }

    @Test
    void replayAgainstARealGatewayReproducesTheFrameCountsPerType() throws Exception {
        String topic = "ws" + UUID.randomUUID().toString().substring(0, 8) + ".qp.frames";
        KAFKA.createTopics(topic + ":2", topic + ".metrics");
        KafkaEventEmitter toKafka = new KafkaEventEmitter(new KafkaEmitterConfig(KAFKA.bootstrapServers(), topic,
                topic + ".metrics", dir.resolve("spool"), 64 << 20, 10_000), new SimpleMeterRegistry());
        try (GatewayServer a = GatewayServer.start(config("edge-a"), toKafka)) {
            try (QpClient c = QpClient.connect(a.uri())) {
                assertThat(c.auth(TOKEN).type()).isEqualTo(MessageType.ACK);
                c.sendCommand(1, "echo", QpJson.object().put("pad", "x".repeat(300)));
                c.sendCommand(2, "ping", null);
                c.sendCommand(3, "stream", QpJson.object().put("count", 4).put("size", 700));
                c.send(MessageType.DATA, new byte[2000]);
                c.send(MessageType.HEARTBEAT, "hi".getBytes(StandardCharsets.UTF_8));
                c.send(MessageType.STREAM, new byte[50]);
                c.sendCommand(4, "no-such-op", null);
                for (int i = 0; i < 1 + 1 + 5 + 1 + 1 + 1; i++) {
                    c.next(WAIT);
                }
            }
            try (QpClient c = QpClient.connect(a.uri())) {
                assertThat(c.auth(TOKEN).type()).isEqualTo(MessageType.ACK);
                for (int i = 0; i < 5; i++) {
                    c.send(MessageType.DATA, new byte[10 * i]);
                    c.next(WAIT);
                }
                c.send(new byte[] {0x42, 0x41, 0x01, 0, 0, 0, 0});
                assertThat(c.next(WAIT).type()).isEqualTo(MessageType.ERROR);
                assertThat(c.awaitClose(WAIT).code()).isEqualTo(1002);
            }
            try (QpClient c = QpClient.connect(a.uri())) {
                assertThat(c.auth("wrong").type()).isEqualTo(MessageType.ERROR);
                assertThat(c.awaitClose(WAIT).code()).isEqualTo(1008);
            }
        }
        toKafka.close(); // flushes every queued event to Kafka

        Path file = dir.resolve("traffic.jsonl");
        Cli export = Cli.run(Clock.systemUTC(), "export", "--kafka", KAFKA.bootstrapServers(), "--topics", topic,
                "--frames-topic", topic, "--out", file.toString());
        assertThat(export.code()).as(export.err()).isZero();
        List<FrameEvent> recorded = qp.protocol.export.ExportReader.readAll(file).stream()
                .map(r -> QpJson.mapper().convertValue(r.value(), FrameEvent.class)).toList();
        // session 1: 8 in, 11 out; session 2: 7 in, 7 out; session 3: 1 in, 1 out
        assertThat(recorded).hasSize(35);

        Collecting seenByB = new Collecting();
        try (GatewayServer b = GatewayServer.start(config("edge-b"), seenByB)) {
            Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
            Cli replay = Cli.run(Clock.systemUTC(), "replay", file.toString(), "--to", b.uri().toString(), "--speed",
                    "10", "--frames-topic", topic, "--token-file", tokenFile.toString());
            assertThat(replay.code()).as(replay.err()).isZero();
            assertThat(replay.out()).contains("on 3 connections", "connections closed by the gateway, by code: "
                    + "{1002=1, 1008=1}");
            await().atMost(WAIT).until(() -> seenByB.frames.size() >= recorded.size());
        }
        assertThat(perTypeAndDirection(seenByB.frames)).isEqualTo(perTypeAndDirection(recorded));
        Map<String, Long> inSizes = recorded.stream().filter(e -> e.type().equals("DATA"))
                .collect(Collectors.groupingBy(e -> e.rawBytes() + "B", Collectors.counting()));
        assertThat(seenByB.frames.stream().filter(e -> e.type().equals("DATA"))
                .collect(Collectors.groupingBy(e -> e.rawBytes() + "B", Collectors.counting())))
                .as("DATA payload sizes as recorded").isEqualTo(inSizes);
    }
}
