package qp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qp.gateway.events.KafkaEmitterConfig;
import qp.gateway.events.KafkaEventEmitter;
import qp.gateway.testing.TestGateways;
import qp.client.QpClient;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.FrameEventCodec;
import qp.protocol.frame.Frame;
import qp.protocol.frame.FrameEncoder;
import qp.protocol.frame.MessageType;
import qp.protocol.json.QpJson;
import qp.broker.EmbeddedKafka;
import qp.testsupport.kafka.KafkaRecords;

/** End to end: the broker goes away while sessions keep talking to the gateway, then comes back. */
class FrameEventsKafkaOutageTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration LONG = Duration.ofSeconds(90);
    private static final String TOPIC = "qp.frames";
    private static final int FRAMES_PER_MESSAGE = 10;
    private static EmbeddedKafka kafka;

    @TempDir
    Path spoolDir;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.startNew(); // private: this test stops it
        kafka.createTopics(TOPIC + ":3", "qp.node-metrics");
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void sessionsGoOnWhileKafkaIsAwayAndEveryEventArrivesOnceInOrder() throws Exception {
        KafkaEventEmitter kafkaEmitter = new KafkaEventEmitter(new KafkaEmitterConfig(kafka.bootstrapServers(), TOPIC,
                "qp.node-metrics", spoolDir, 256L << 20, 10_000)
                .withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofSeconds(10)),
                new SimpleMeterRegistry());
        RecordingEmitter emitter = new RecordingEmitter(kafkaEmitter);
        try (GatewayServer gw = GatewayServer.start(TestGateways.config().build(), emitter)) {
            List<QpClient> clients = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                clients.add(TestGateways.authed(gw));
            }
            talk(clients, 20);
            await().atMost(LONG).until(() -> kafkaEmitter.stats().sent() >= emitter.frames().size());

            kafka.stop(); // every event so far is acknowledged: a clean outage
            talk(clients, 150); // 3 x 150 messages x 10 DATA frames, each IN and its ACK OUT: 9,000 events
            await().atMost(LONG).until(() -> !kafkaEmitter.stats().kafkaUp() && kafkaEmitter.stats().spooled() > 0);
            talk(clients, 10);

            kafka.restart();
            talk(clients, 20);
            for (QpClient c : clients) {
                c.close();
            }
            await().atMost(LONG).until(() -> kafkaEmitter.stats().spooled() == 0
                    && kafkaEmitter.stats().sent() >= emitter.frames().size());
        }
        List<FrameEvent> emitted = emitter.frames();
        assertThat(emitted.size()).isGreaterThanOrEqualTo(3 * 200 * FRAMES_PER_MESSAGE * 2);
        List<FrameEvent> arrived = read(emitted.size());

        // Duplicates could come only from a batch Kafka wrote whose acknowledgement never reached the emitter
        // (broker killed mid-request, stall timeout on a slow broker) or from a crash between an acknowledgement
        // and the spool delete. None of that happens here: expect zero, and count them to show it.
        Set<String> ids = new HashSet<>();
        long duplicates = arrived.stream().filter(e -> !ids.add(e.connectionId() + "/" + e.seq())).count();
        assertThat(duplicates).isZero();
        assertThat(kafkaEmitter.stats().dropped()).isZero();

        Map<String, List<FrameEvent>> byConnection = arrived.stream()
                .collect(Collectors.groupingBy(FrameEvent::connectionId));
        assertThat(byConnection).hasSize(3);
        for (Map.Entry<String, List<FrameEvent>> e : byConnection.entrySet()) {
            List<FrameEvent> sent = emitter.frames(e.getKey());
            assertThat(e.getValue()).as("connection %s: all, in the gateway's order", e.getKey()).isEqualTo(sent);
            assertThat(e.getValue()).extracting(FrameEvent::seq).containsExactlyInAnyOrderElementsOf(
                    LongStream.range(0, sent.size()).boxed().toList());
        }
    }

    /** Each client sends {@code messages} messages of 10 DATA frames and reads the 10 ACKs of each. */
    private static void talk(List<QpClient> clients, int messages) throws Exception {
        byte[][] frames = new byte[FRAMES_PER_MESSAGE][];
        for (int i = 0; i < FRAMES_PER_MESSAGE; i++) {
            frames[i] = FrameEncoder.encode(MessageType.DATA, new byte[20 + i], i % 2 == 0);
        }
        byte[] message = FrameEncoder.concat(frames);
        for (int m = 0; m < messages; m++) {
            for (QpClient c : clients) {
                c.send(message);
            }
            for (QpClient c : clients) {
                for (int i = 0; i < FRAMES_PER_MESSAGE; i++) {
                    Frame ack = c.next(WAIT);
                    assertThat(ack.type()).isEqualTo(MessageType.ACK);
                    assertThat(QpJson.treeOf(ack.payload()).get("bytes").asInt()).isEqualTo(20 + i);
                }
            }
        }
    }

    private static List<FrameEvent> read(int expected) throws Exception {
        List<ConsumerRecord<byte[], byte[]>> records = KafkaRecords.readAll(kafka.bootstrapServers(), TOPIC, expected,
                LONG, false);
        List<FrameEvent> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            FrameEvent e = FrameEventCodec.decode(r.value());
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(e.connectionId());
            assertThat(r.timestamp()).as("record time = event time, spooled or not").isEqualTo(e.eventTimeMillis());
            out.add(e);
        }
        return out;
    }
}
