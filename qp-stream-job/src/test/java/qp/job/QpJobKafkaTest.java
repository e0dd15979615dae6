package qp.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import qp.job.Traffic.Injection;
import qp.job.Traffic.Kind;
import qp.job.config.JobOptions;
import qp.job.io.DeadLetter;
import qp.protocol.analytics.WindowStats;
import qp.protocol.analytics.WindowView;
import qp.protocol.events.FrameEvent;
import qp.protocol.json.QpJson;
import qp.testsupport.kafka.EmbeddedKafka;
import qp.testsupport.kafka.KafkaRecords;

/** The whole job on a MiniCluster against the in-process broker: Kafka in, Kafka out (read_committed). */
class QpJobKafkaTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    static final EmbeddedKafka KAFKA = EmbeddedKafka.shared();
    static final long T0 = 1_700_000_000_000L; // a whole second, so windows start at T0 + n s
    static final List<String> NODES = List.of("edge-1", "edge-2", "edge-3");

    @Test
    void windowStatsAreExactForAnOutOfOrderStreamAndBadRecordsGoToTheDlq() throws Exception {
        JobHarness job = JobHarness.create(KAFKA, "stats", 2, "--bounded");
        List<FrameEvent> events = new Traffic(T0, 1_000, 20, NODES, 60, List.of(), 1).events();
        // Out of order by up to 200 ms, inside the 500 ms watermark delay: nothing may be late.
        job.sendFrames(Traffic.disorder(events, 200, 2));
        List<String> bad = List.of("{not json", "{\"nodeId\":\"edge-1\"}", "[1,2,3]", "");
        String frames = job.topic(JobOptions.FRAMES_TOPIC);
        KafkaRecords.send(KAFKA.bootstrapServers(), frames, bad.stream()
                .map(b -> KafkaRecords.record(frames, "bad", b.getBytes(StandardCharsets.UTF_8))).toList());
        // ... and more good ones after the bad ones: the job must read past them.
        List<FrameEvent> after = new Traffic(T0 + 20_000, 1_000, 3, NODES, 60, List.of(), 3).events();
        job.sendFrames(after);

        job.runToEnd(Duration.ofMinutes(2));

        List<FrameEvent> all = new ArrayList<>(events);
        all.addAll(after);
        Map<String, Traffic.Expected> expected = Traffic.expectedWindows(all, 1_000);
        List<ConsumerRecord<byte[], byte[]>> records = job.records(JobOptions.WINDOW_STATS_TOPIC);
        Map<String, WindowStats> got = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            WindowStats s = JobHarness.parse(r, WindowStats.class);
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(s.nodeId() + "/" + s.type());
            assertThat(s.view()).isEqualTo(WindowView.TUMBLING);
            assertThat(got.put(s.nodeId() + "|" + s.type() + "|" + s.windowStartMillis(), s))
                    .as("one row per node/type/window").isNull();
        }
        assertThat(got.keySet()).isEqualTo(expected.keySet());
        expected.forEach((key, e) -> {
            WindowStats s = got.get(key);
            assertThat(s.count()).as(key).isEqualTo(e.count);
            assertThat(s.errorCount()).as(key).isEqualTo(e.errors);
            assertThat(s.bytes()).as(key).isEqualTo(e.bytes);
            assertThat(s.windowEndMillis() - s.windowStartMillis()).isEqualTo(1_000);
            long[] p95 = e.quantileRange(0.95); // DDSketch: within 1% of a true rank's value
            assertThat(s.latencyP95Micros()).as(key + " p95").isBetween(p95[0] * 0.99, p95[1] * 1.01);
            if (s.isAllTypes()) {
                assertThat(s.typeMix()).as(key + " mix").isEqualTo(e.typeMix);
            }
        });

        List<ConsumerRecord<byte[], byte[]>> dlq = job.records(JobOptions.DLQ_TOPIC);
        assertThat(dlq).hasSize(bad.size());
        List<DeadLetter> letters = dlq.stream().map(r -> JobHarness.parse(r, DeadLetter.class)).toList();
        assertThat(letters).extracting(DeadLetter::topic).containsOnly(frames);
        assertThat(letters).extracting(DeadLetter::valueText).containsExactlyInAnyOrderElementsOf(bad);
        assertThat(letters).allSatisfy(l -> assertThat(l.reason()).isNotBlank());
        for (DeadLetter l : letters) { // partition and offset point at the record that was bad
            ConsumerRecord<byte[], byte[]> original = Topics.readCommitted(KAFKA.bootstrapServers(), frames).stream()
                    .filter(r -> r.partition() == l.partition() && r.offset() == l.offset()).findFirst().orElseThrow();
            assertThat(new String(original.value(), StandardCharsets.UTF_8)).isEqualTo(l.valueText());
        }
        assertThat(job.records(JobOptions.LATE_FRAMES_TOPIC)).as("nothing was late").isEmpty();
    }

    @Test
    void emptyTopicsMakeAJobWithNoOutputThatEndsCleanly() throws Exception {
        JobHarness job = JobHarness.create(KAFKA, "empty", 2, "--bounded");
        job.runToEnd(Duration.ofMinutes(1));
        assertThat(job.records(JobOptions.WINDOW_STATS_TOPIC)).isEmpty();
        assertThat(job.records(JobOptions.DLQ_TOPIC)).isEmpty();
    }

    @Test
    void passThroughReadsEverythingAndStillSendsBadRecordsToTheDlq() throws Exception {
        JobHarness job = JobHarness.create(KAFKA, "pass", 2, "--bounded", "--pass-through");
        job.sendFrames(new Traffic(T0, 1_000, 5, NODES, 50, List.of(), 4).events());
        String frames = job.topic(JobOptions.FRAMES_TOPIC);
        KafkaRecords.send(KAFKA.bootstrapServers(), frames,
                List.of(KafkaRecords.record(frames, "bad", new byte[] {(byte) 0xff, 0x01})));
        job.runToEnd(Duration.ofMinutes(1));
        assertThat(job.records(JobOptions.WINDOW_STATS_TOPIC)).isEmpty();
        List<DeadLetter> dlq = job.readCommitted(JobOptions.DLQ_TOPIC, DeadLetter.class);
        assertThat(dlq).singleElement().satisfies(l -> {
            assertThat(l.valueText()).isNull();
            assertThat(l.valueBase64()).isEqualTo("/wE=");
        });
    }
}
