package qp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qp.gateway.events.KafkaEmitterConfig;
import qp.gateway.events.KafkaEventEmitter;
import qp.gateway.testing.TestGateways;
import qp.client.QpClient;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.FrameEventCodec;
import qp.protocol.events.EventEncoding;
import qp.protocol.frame.Frame;
import qp.protocol.frame.FrameEncoder;
import qp.protocol.frame.MessageType;
import qp.protocol.json.QpJson;
import qp.protocol.params.TunableParameter;
import qp.broker.EmbeddedKafka;
import qp.testsupport.kafka.KafkaRecords;

/** End to end: a scripted QP session through a real gateway; every frame in and out appears in qp.frames. */
class FrameEventsToKafkaTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final EmbeddedKafka KAFKA = EmbeddedKafka.shared();

    @TempDir
    Path spoolDir;

    /** What the client saw of one frame: the fields an event must carry. */
    record Seen(Direction direction, String type, String op, int wireBytes, int rawBytes, boolean compressed,
            String outcome) {
        static Seen of(FrameEvent e) {
            return new Seen(e.direction(), e.type(), e.op(), e.wireBytes(), e.rawBytes(), e.compressed(), e.outcome());
        }
    }

    @Test
    void everyFrameOfAScriptedSessionArrivesInKafkaAsItWasSent() throws Exception {
        String topic = "e2e-" + UUID.randomUUID() + ".frames";
        KAFKA.createTopics(topic + ":3");
        KafkaEventEmitter kafkaEmitter = new KafkaEventEmitter(new KafkaEmitterConfig(KAFKA.bootstrapServers(), topic,
                topic + ".metrics", spoolDir, 64 << 20, 10_000), new SimpleMeterRegistry());
        RecordingEmitter emitter = new RecordingEmitter(kafkaEmitter);
        List<Seen> in = new ArrayList<>();   // in the order sent; the gateway numbers them in that order
        List<Seen> out = new ArrayList<>();  // in the order received
        String sessionId;
        try (GatewayServer gw = GatewayServer.start(TestGateways.config()
                .param(TunableParameter.COMPRESSION_THRESHOLD, 256).build(), emitter);
             QpClient c = QpClient.connect(gw.uri())) {
            byte[] auth = ("{\"token\":\"" + TestGateways.TOKEN + "\",\"compression\":true}").getBytes(StandardCharsets.UTF_8);
            sessionId = QpJson.treeOf(exchange(c, MessageType.AUTH, auth, false, null, "ok", in, out, 1).get(0)
                    .payload()).get("session").asText();
            exchange(c, MessageType.HEARTBEAT, "are you there".getBytes(StandardCharsets.UTF_8), false, null, "ok",
                    in, out, 1);
            exchange(c, MessageType.COMMAND, command(1, "echo", "{\"x\":[1,2,3]}"), false, "echo", "ok", in, out, 1);
            exchange(c, MessageType.COMMAND, command(2, "ping", null), false, "ping", "ok", in, out, 1);
            List<Frame> stream = exchange(c, MessageType.COMMAND, command(3, "stream", "{\"count\":3,\"size\":1000}"),
                    false, "stream", "ok", in, out, 4);
            assertThat(stream).extracting(Frame::type).containsExactly(MessageType.STREAM, MessageType.STREAM,
                    MessageType.STREAM, MessageType.ACK);
            assertThat(stream.get(0).compressed()).as("1000 B over the 256 B threshold, session asked").isTrue();
            exchange(c, MessageType.DATA, new byte[100], false, null, "ok", in, out, 1);
            byte[] big = new byte[5000];
            Arrays.fill(big, (byte) 'q');
            exchange(c, MessageType.DATA, big, true, null, "ok", in, out, 1);
            exchange(c, MessageType.STREAM, new byte[300], true, null, "ok", in, out, 0);
            List<Frame> unknown = exchange(c, MessageType.COMMAND, command(4, "no-such-op", null), false, "no-such-op",
                    "UNKNOWN_OP", in, out, 1);
            assertThat(unknown.get(0).type()).isEqualTo(MessageType.ERROR);
            byte[] bad = {0x42, 0x41, 0x01, 0, 0, 0, 0}; // wrong magic
            c.send(bad);
            Frame error = c.next(WAIT);
            in.add(new Seen(Direction.IN, FrameEvent.INVALID_TYPE, null, bad.length, 0, false, "BAD_FRAME"));
            out.add(new Seen(Direction.OUT, "ERROR", null, error.wireBytes(), error.rawBytes(), error.compressed(),
                    "BAD_FRAME"));
            assertThat(c.awaitClose(WAIT).code()).isEqualTo(1002);
            int expected = in.size() + out.size();
            await().atMost(Duration.ofSeconds(60)).until(() -> emitter.frames().size() == expected
                    && kafkaEmitter.stats().sent() >= expected);
        }
        List<FrameEvent> emitted = emitter.frames();
        List<FrameEvent> arrived = readFrames(topic, emitted.size());

        assertThat(arrived).as("exactly what the gateway emitted, in its order, nothing twice").isEqualTo(emitted);
        assertThat(arrived).extracting(FrameEvent::seq).containsExactlyInAnyOrderElementsOf(
                java.util.stream.LongStream.range(0, arrived.size()).boxed().toList());
        List<FrameEvent> bySeq = arrived.stream().sorted(Comparator.comparingLong(FrameEvent::seq)).toList();
        assertThat(bySeq.stream().filter(e -> e.direction() == Direction.IN).map(Seen::of).toList()).isEqualTo(in);
        List<Seen> outSeen = bySeq.stream().filter(e -> e.direction() == Direction.OUT).map(Seen::of).toList();
        assertThat(outSeen.stream().map(s -> new Seen(s.direction(), s.type(), null, s.wireBytes(), s.rawBytes(),
                s.compressed(), s.outcome())).toList()).isEqualTo(out); // OUT ops are checked below
        assertThat(outSeen.stream().filter(s -> "STREAM".equals(s.type()))).extracting(Seen::op)
                .containsOnly("stream");
        assertThat(arrived).allSatisfy(e -> {
            assertThat(e.nodeId()).isEqualTo("test-node");
            assertThat(e.paramVersion()).isEqualTo(1);
        });
        assertThat(bySeq.subList(1, bySeq.size())).extracting(FrameEvent::sessionId).containsOnly(sessionId);
        assertThat(kafkaEmitter.stats().dropped()).isZero();
    }

    /**
     * Sends one frame, reads {@code replies} frames back, and writes down what both sides should show as events.
     * A compressed frame from the client is sent as a zlib stream with bit 7 set.
     */
    private static List<Frame> exchange(QpClient c, MessageType type, byte[] raw, boolean compress, String op,
            String outcome, List<Seen> in, List<Seen> out, int replies) throws Exception {
        byte[] frame = FrameEncoder.encode(type, raw, compress);
        c.send(frame);
        in.add(new Seen(Direction.IN, type.name(), op, frame.length, raw.length, compress, outcome));
        List<Frame> got = new ArrayList<>();
        for (int i = 0; i < replies; i++) {
            Frame f = c.next(WAIT);
            got.add(f);
            out.add(new Seen(Direction.OUT, f.type().name(), null, f.wireBytes(), f.rawBytes(), f.compressed(),
                    f.type() == MessageType.ERROR ? outcome : "ok"));
        }
        return got;
    }

    private static byte[] command(long id, String op, String argsJson) {
        String json = "{\"id\":" + id + ",\"op\":\"" + op + "\"" + (argsJson == null ? "" : ",\"args\":" + argsJson) + "}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    static List<FrameEvent> readFrames(String topic, int expected) throws Exception {
        List<ConsumerRecord<byte[], byte[]>> records = KafkaRecords.readAll(KAFKA.bootstrapServers(), topic, expected,
                Duration.ofSeconds(60), false);
        List<FrameEvent> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            assertThat(EventEncoding.formatOf(r.value())).as("the gateway's default").isEqualTo(EventEncoding.Format.BINARY);
            FrameEvent e = FrameEventCodec.decode(r.value());
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(e.connectionId());
            assertThat(r.timestamp()).as("record time = event time").isEqualTo(e.eventTimeMillis());
            out.add(e);
        }
        return out;
    }
}
