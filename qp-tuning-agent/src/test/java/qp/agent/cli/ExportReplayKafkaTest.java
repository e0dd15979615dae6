package qp.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qp.agent.replay.TimeShift;
import qp.protocol.events.Direction;
import qp.protocol.events.EventEncoding;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.FrameEventCodec;
import qp.protocol.export.ExportReader;
import qp.protocol.export.ExportRecord;
import qp.protocol.json.QpJson;
import qp.broker.EmbeddedKafka;
import qp.testsupport.kafka.KafkaRecords;

/** export, then replay --to kafka, then export again, on the shared in-process broker. */
class ExportReplayKafkaTest {
    static final EmbeddedKafka KAFKA = EmbeddedKafka.shared();
    static final Clock CLOCK = Clock.systemUTC();
    static final String P = "x" + UUID.randomUUID().toString().substring(0, 8) + ".";
    static final String FRAMES = P + "qp.frames";
    static final String METRICS = P + "qp.node-metrics";
    static long t0;

    @TempDir
    Path dir;

    /**
     * 100 frame events of two nodes, one per second an hour ago, keyed by connection over two partitions, the first 50
     * in JSON as gateways wrote them before the binary encoding, the rest in binary; 10 samples in JSON that lack
     * fields the binary encoding needs.
     */
    @BeforeAll
    static void fill() {
        KAFKA.createTopics(FRAMES + ":2", METRICS + ":1");
        t0 = (CLOCK.millis() / 1000) * 1000 - 3_600_000;
        List<ProducerRecord<byte[], byte[]>> frames = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String node = i % 2 == 0 ? "edge-1" : "edge-2";
            FrameEvent e = new FrameEvent(node, "c" + (i % 5), i, "s", i % 3 == 0 ? "COMMAND" : "DATA",
                    i % 3 == 0 ? "echo" : null, Direction.IN, 40 + i, 33 + i, false, 100 + i, "ok", 1, t0 + i * 1000L);
            byte[] value = i < 50 ? QpJson.bytes(e) : FrameEventCodec.encode(e);
            frames.add(new ProducerRecord<>(FRAMES, i % 2, t0 + i * 1000L, ("c" + (i % 5)).getBytes(), value));
        }
        KafkaRecords.send(KAFKA.bootstrapServers(), FRAMES, frames);
        List<ProducerRecord<byte[], byte[]>> samples = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String json = "{\"nodeId\":\"edge-1\",\"timestampMillis\":" + (t0 + i * 1000L) + ",\"framesInPerSec\":5.0}";
            samples.add(new ProducerRecord<>(METRICS, 0, t0 + i * 1000L, "edge-1".getBytes(), json.getBytes()));
        }
        KafkaRecords.send(KAFKA.bootstrapServers(), METRICS, samples);
    }

    /** With the test's topics, after {@code prefix}, named as the frames and node-metrics topics. */
    static Cli cli(String prefix, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--frames-topic", prefix + FRAMES, "--node-metrics-topic", prefix + METRICS));
        Cli c = Cli.run(CLOCK, all.toArray(String[]::new));
        assertThat(c.code()).as(c.err()).isZero();
        return c;
    }

    /** Records per topic-partition in offset order, with the topic's prefix taken off. */
    static Map<String, List<ExportRecord>> byPartition(Path file, String prefix) throws Exception {
        return ExportReader.readAll(file).stream()
                .map(r -> new ExportRecord(r.topic().substring(prefix.length()), r.partition(), r.offset(), r.key(),
                        r.timestampMillis(), r.value()))
                .sorted(Comparator.comparingLong(ExportRecord::offset))
                .collect(Collectors.groupingBy(r -> r.topic() + "/" + r.partition(), java.util.TreeMap::new,
                        Collectors.toList()));
    }

    @Test
    void exportReplayExportGivesTheSameRecords() throws Exception {
        Path first = dir.resolve("first.jsonl.gz");
        Cli e1 = cli("", "export", "--kafka", KAFKA.bootstrapServers(), "--topics", FRAMES + "," + METRICS, "--out",
                first.toString());
        assertThat(e1.out()).contains("exported 110 records to " + first, FRAMES + " 100", METRICS + " 10");

        Cli r = cli("", "replay", first.toString(), "--to", "kafka", "--kafka", KAFKA.bootstrapServers(), "--speed", "max",
                "--topic-prefix", "r1.");
        assertThat(r.out()).contains("replayed 110 records into Kafka");

        Path second = dir.resolve("second.jsonl");
        cli("r1.", "export", "--kafka", KAFKA.bootstrapServers(), "--topics", "r1." + FRAMES + ",r1." + METRICS, "--out",
                second.toString());
        Map<String, List<ExportRecord>> before = byPartition(first, "");
        Map<String, List<ExportRecord>> after = byPartition(second, "r1.");
        assertThat(after.keySet()).containsExactly(FRAMES + "/0", FRAMES + "/1", METRICS + "/0");
        assertThat(after).isEqualTo(before);
        assertThat(before.get(FRAMES + "/1").get(40).value().get("seq").asLong())
                .as("binary values are exported as JSON").isEqualTo(81L);
    }

    @Test
    void replayWritesFrameEventsInTheBinaryEncodingAndSamplesItCannotHoldAsJson() throws Exception {
        Path first = dir.resolve("first.jsonl");
        cli("", "export", "--kafka", KAFKA.bootstrapServers(), "--topics", FRAMES + "," + METRICS, "--out", first.toString());
        cli("", "replay", first.toString(), "--kafka", KAFKA.bootstrapServers(), "--speed", "max", "--topic-prefix", "r3.");
        var frames = KafkaRecords.readAll(KAFKA.bootstrapServers(), "r3." + FRAMES, 100, java.time.Duration.ofSeconds(30), false);
        assertThat(frames).allSatisfy(r -> assertThat(EventEncoding.formatOf(r.value())).isEqualTo(EventEncoding.Format.BINARY));
        assertThat(frames.stream().map(r -> FrameEventCodec.decode(r.value()).seq()).sorted().toList())
                .isEqualTo(java.util.stream.LongStream.range(0, 100).boxed().toList());
        var samples = KafkaRecords.readAll(KAFKA.bootstrapServers(), "r3." + METRICS, 10, java.time.Duration.ofSeconds(30), false);
        assertThat(samples).allSatisfy(r -> assertThat(EventEncoding.formatOf(r.value())).isEqualTo(EventEncoding.Format.JSON));
    }

    @Test
    void rebasedReplayMovesEveryTimestampAndTimeFieldByTheSameDelta() throws Exception {
        Path first = dir.resolve("first.jsonl");
        cli("", "export", "--kafka", KAFKA.bootstrapServers(), "--topics", FRAMES + "," + METRICS, "--out", first.toString());
        long start = CLOCK.millis();
        Cli r = cli("", "replay", first.toString(), "--kafka", KAFKA.bootstrapServers(), "--speed", "max", "--rebase-time",
                "--topic-prefix", "r2.");
        long end = CLOCK.millis();
        assertThat(r.out()).contains("timestamps moved by");
        Path second = dir.resolve("second.jsonl");
        cli("r2.", "export", "--kafka", KAFKA.bootstrapServers(), "--topics", "r2." + FRAMES + ",r2." + METRICS, "--out",
                second.toString());
        Map<String, List<ExportRecord>> before = byPartition(first, "");
        Map<String, List<ExportRecord>> after = byPartition(second, "r2.");
        long delta = after.get(FRAMES + "/0").get(0).timestampMillis() - before.get(FRAMES + "/0").get(0).timestampMillis();
        assertThat(t0 + delta).as("the earliest record is now").isBetween(start, end);
        Map<String, List<ExportRecord>> shiftedBack = new java.util.TreeMap<>();
        after.forEach((k, list) -> shiftedBack.put(k, list.stream().map(x -> new ExportRecord(x.topic(), x.partition(),
                x.offset(), x.key(), x.timestampMillis() - delta, TimeShift.shift(x.value(), -delta))).toList()));
        assertThat(shiftedBack).isEqualTo(before);
        JsonNode v = after.get(METRICS + "/0").get(3).value();
        assertThat(v.get("timestampMillis").asLong()).isEqualTo(t0 + 3000 + delta);
    }

    @Test
    void exportTakesATimeRangeAndANode() throws Exception {
        Path f = dir.resolve("range.jsonl");
        String since = Instant.ofEpochMilli(t0 + 10_000).toString();
        String until = Instant.ofEpochMilli(t0 + 30_000).toString();
        Cli c = cli("", "export", "--kafka", KAFKA.bootstrapServers(), "--topics", FRAMES, "--since", since, "--until", until,
                "--node", "edge-1", "--out", f.toString());
        List<ExportRecord> records = ExportReader.readAll(f);
        assertThat(records).extracting(x -> x.value().get("seq").asLong())
                .containsExactlyInAnyOrder(10L, 12L, 14L, 16L, 18L, 20L, 22L, 24L, 26L, 28L);
        assertThat(c.out()).contains("exported 10 records");
    }
}
