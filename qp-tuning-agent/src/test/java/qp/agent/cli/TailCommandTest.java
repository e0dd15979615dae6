package qp.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import qp.broker.EmbeddedKafka;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.FrameEventCodec;
import qp.protocol.events.NodeMetrics;
import qp.protocol.events.NodeMetricsCodec;
import qp.protocol.json.QpJson;
import qp.protocol.params.TunableParams;
import qp.testsupport.kafka.KafkaRecords;

/** bin/qp tail on the shared in-process broker: binary and JSON events, a bad value, the job's JSON topics, live. */
@Timeout(120)
class TailCommandTest {
    static final EmbeddedKafka KAFKA = EmbeddedKafka.shared();
    static final String P = "t" + UUID.randomUUID().toString().substring(0, 8) + ".";
    static final String FRAMES = P + "qp.frames";
    static final String METRICS = P + "qp.node-metrics";
    static final String DLQ = P + "qp.dlq";
    static final long T = 1_796_036_267_882L;

    @BeforeAll
    static void topics() {
        KAFKA.createTopics(FRAMES + ":2", METRICS + ":1", DLQ + ":1");
    }

    static FrameEvent frame(String conn, long seq) {
        return new FrameEvent("edge-1", conn, seq, "s1", "COMMAND", "echo", Direction.IN, 40, 30, false, 1200,
                FrameEvent.OK, 3, T + seq);
    }

    static NodeMetrics sample(long time) {
        return new NodeMetrics("edge-1", time, 10, 2, 1000, 800, 0.25, 120L << 20, 1000L << 20, 3, 0, 0, 4,
                TunableParams.defaults());
    }

    static void send(String topic, String key, byte[]... values) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (byte[] v : values) {
            records.add(KafkaRecords.record(topic, key, v));
        }
        KafkaRecords.send(KAFKA.bootstrapServers(), topic, records);
    }

    static String[] args(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--kafka", KAFKA.bootstrapServers(), "--frames-topic", FRAMES, "--node-metrics-topic", METRICS));
        return all.toArray(String[]::new);
    }

    @Test
    void decodesBinaryAndJsonFrameEventsAndReportsABadValueOnOneLineAndGoesOn() {
        byte[] binary = FrameEventCodec.encode(frame("c1", 1));
        byte[] truncated = Arrays.copyOf(binary, binary.length - 2);
        // one connection, so one partition: the order of the lines is the order sent
        send(FRAMES, "c1", binary, QpJson.bytes(frame("c1", 2)), truncated, FrameEventCodec.encode(frame("c1", 3)));
        Cli c = Cli.run(Clock.systemUTC(), args("tail", FRAMES, "--from-beginning", "--limit", "4"));
        assertThat(c.code()).as(c.err()).isZero();
        List<String> lines = c.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("2026-11-30T10:57:47.883Z edge-1 IN COMMAND echo conn=c1 seq=1 wire=40B "
                + "raw=30B outcome=ok latency=1200us params=v3");
        assertThat(lines.get(1)).contains("conn=c1 seq=2 ");
        assertThat(lines.get(2)).contains("conn=c1 seq=3 ");
        List<String> errors = c.err().lines().filter(l -> l.contains("cannot read")).toList();
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).startsWith("qp tail: " + FRAMES + " ").contains("@2: cannot read the value: truncated FrameEvent");
    }

    @Test
    void jsonPrintsEachEventAsTheJsonItWasBeforeTheBinaryEncoding() throws Exception {
        send(METRICS, "edge-1", NodeMetricsCodec.encode(sample(T)), QpJson.bytes(sample(T + 1000)));
        Cli c = Cli.run(Clock.systemUTC(), args("tail", METRICS, "--json", "--from-beginning", "--limit", "2"));
        assertThat(c.code()).as(c.err()).isZero();
        List<String> lines = c.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(QpJson.tree(lines.get(0).getBytes(StandardCharsets.UTF_8))).isEqualTo(QpJson.treeOf(QpJson.bytes(sample(T))));
        assertThat(QpJson.read(lines.get(1).getBytes(StandardCharsets.UTF_8), NodeMetrics.class)).isEqualTo(sample(T + 1000));
        Cli readable = Cli.run(Clock.systemUTC(), args("tail", METRICS, "--from-beginning", "--limit", "1"));
        assertThat(readable.out().strip()).isEqualTo("2026-11-30T10:57:47.882Z edge-1 frames in=10.0/s out=2.0/s "
                + "bytes in=1000/s out=800/s cpu=25% heap=120/1000MB connections=3 heartbeatTimeouts=0 params=v4");
    }

    @Test
    void theJobsTopicsArePrintedAsTheyAre() {
        String json = "{\"topic\":\"qp.frames\",\"reason\":\"empty value\"}";
        send(DLQ, null, json.getBytes(StandardCharsets.UTF_8));
        Cli c = Cli.run(Clock.systemUTC(), args("tail", DLQ, "--json", "--from-beginning", "--limit", "1"));
        assertThat(c.out().strip()).isEqualTo(json);
    }

    @Test
    void withoutFromBeginningItPrintsOnlyWhatComesAfterItStarted() throws Exception {
        String topic = P + "live.qp.frames";
        KAFKA.createTopics(topic + ":1");
        send(topic, "c9", FrameEventCodec.encode(frame("c9", 100)));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        AtomicInteger code = new AtomicInteger(-1);
        List<String> a = new ArrayList<>(List.of("tail", topic, "--limit", "2", "--kafka", KAFKA.bootstrapServers(),
                "--frames-topic", topic));
        Thread t = new Thread(() -> code.set(QpCli.run(a.toArray(String[]::new), new PrintWriter(out, true),
                new PrintWriter(err, true), Clock.systemUTC(), Map.<String, String>of()::get)));
        t.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> err.toString().contains("Ctrl-C ends it"));
        send(topic, "c9", FrameEventCodec.encode(frame("c9", 101)), QpJson.bytes(frame("c9", 102)));
        t.join(60_000);
        assertThat(code.get()).as(err.toString()).isZero();
        assertThat(out.toString().lines().map(l -> l.replaceAll(".* seq=(\\d+) .*", "$1")).toList())
                .containsExactly("101", "102");
    }

    @Test
    void aMissingTopicIsOneCleanLine() {
        Cli c = Cli.run(Clock.systemUTC(), args("tail", P + "nope"));
        assertThat(c.code()).isEqualTo(QpCli.EXIT_FAILURE);
        assertThat(c.oneCleanErrorLine()).as(c.err()).isTrue();
        assertThat(c.err()).contains("topic " + P + "nope does not exist");
    }
}
