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
import qp.job.bigrams.BigramOracle;
import qp.job.config.JobOptions;
import qp.job.io.DeadLetter;
import qp.protocol.analytics.Anomaly;
import qp.protocol.analytics.AnomalyKind;
import qp.protocol.analytics.BigramCount;
import qp.protocol.analytics.BigramWindow;
import qp.protocol.analytics.Recommendation;
import qp.protocol.analytics.TrendReport;
import qp.protocol.analytics.WindowStats;
import qp.protocol.analytics.WindowView;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;
import qp.protocol.json.QpJson;
import qp.protocol.params.TunableParameter;
import qp.protocol.params.TunableParams;
import qp.broker.EmbeddedKafka;
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
            ConsumerRecord<byte[], byte[]> original = KafkaRecords.readToEnd(KAFKA.bootstrapServers(), frames, true).stream()
                    .filter(r -> r.partition() == l.partition() && r.offset() == l.offset()).findFirst().orElseThrow();
            assertThat(new String(original.value(), StandardCharsets.UTF_8)).isEqualTo(l.valueText());
        }
        assertThat(job.records(JobOptions.LATE_FRAMES_TOPIC)).as("nothing was late").isEmpty();

        // Trends: one report per node from its third window on, keyed by node, over the last (up to 12) windows.
        Map<String, List<TrendReport>> trends = new HashMap<>();
        int windows = 23; // 20 + 3 one-second windows per node, back to back
        for (ConsumerRecord<byte[], byte[]> r : job.recordsAtLeast(JobOptions.TRENDS_TOPIC, NODES.size() * (windows - 2))) {
            TrendReport t = JobHarness.parse(r, TrendReport.class);
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(t.nodeId());
            trends.computeIfAbsent(t.nodeId(), n -> new ArrayList<>()).add(t);
        }
        assertThat(trends.keySet()).containsExactlyInAnyOrderElementsOf(NODES);
        trends.forEach((node, reports) -> {
            assertThat(reports).as(node).hasSize(windows - 2);
            reports.sort(java.util.Comparator.comparingLong(TrendReport::toMillis));
            for (int i = 0; i < reports.size(); i++) {
                TrendReport t = reports.get(i);
                int n = Math.min(12, i + 3);
                assertThat(t.windows()).as(node + " report " + i).isEqualTo(n);
                assertThat(t.toMillis() - t.fromMillis()).isEqualTo(n * 1_000L);
                Traffic.Expected last = expected.get(node + "|*|" + (t.toMillis() - 1_000));
                assertThat(t.throughputPerSec()).as("frames/s of the last window").isEqualTo((double) last.count);
                assertThat(t.throughputTrend()).as("steady traffic").isEqualTo(TrendReport.Trend.FLAT);
                assertThat(t.throughputSlopePerMin()).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-6));
                long[] p95 = last.quantileRange(0.95);
                assertThat(t.latencyP95Micros()).isBetween(p95[0] * 0.99, p95[1] * 1.01);
                assertThat(t.payloadMeanBytes()).as("raw payloads are 100..499 B").isBetween(100.0, 500.0);
                long framesInWindows = 0;
                for (long w = t.fromMillis(); w < t.toMillis(); w += 1_000) {
                    framesInWindows += expected.get(node + "|*|" + w).count;
                }
                assertThat(t.payloadSizeHistogram().values().stream().mapToLong(Long::longValue).sum())
                        .as("the histogram holds every frame of the windows").isEqualTo(framesInWindows);
            }
        });
    }

    /**
     * Issue 6: a reader too slow for its idle timeout (a starved CPU, a long GC, a slow chained operator) must still
     * count every frame of a backlog in its window. The slowness is simulated by an operator chained to the source
     * (it runs on the reader's own thread) that takes {@value SlowReader#MILLIS_PER_FRAME} ms per frame, so that a
     * fetch of one partition takes several idle timeouts to emit while the other partition's records wait behind it.
     * Nothing here waits for time: the job runs to its end and the result is compared with the traffic.
     */
    @Test
    void aReaderSlowerThanItsIdleTimeoutStillCountsEveryFrameOfABacklog() throws Exception {
        JobHarness job = JobHarness.create(KAFKA, "slow-reader", 2, "--bounded", "--without-training",
                "--idle-timeout", "1s");
        List<FrameEvent> events = new Traffic(T0, 1_000, 12, NODES, 60, List.of(), 11).events();
        job.sendFrames(Traffic.disorder(events, 200, 12));

        job.runToEnd(Duration.ofMinutes(3), 0, frames -> frames.map(new SlowReader()).returns(frames.getType())
                .setParallelism(frames.getParallelism()).name("slow-reader"));

        Map<String, Long> late = lateByPartition(job);
        System.out.println("slow reader: late frames by frames partition " + late);
        Map<String, Long> got = new HashMap<>();
        for (WindowStats s : job.readCommitted(JobOptions.WINDOW_STATS_TOPIC, WindowStats.class)) {
            assertThat(got.put(s.nodeId() + "|" + s.type() + "|" + s.windowStartMillis(), s.count()))
                    .as("one row per node/type/window").isNull();
        }
        Map<String, Long> expected = new HashMap<>();
        Traffic.expectedWindows(events, 1_000).forEach((k, e) -> expected.put(k, e.count));
        assertThat(late).as("late frames by partition").isEmpty();
        assertThat(got).as("every frame in its window").isEqualTo(expected);
    }

    /** Late frames per partition of the frames topic they were read from (the frame's key is its connection). */
    static Map<String, Long> lateByPartition(JobHarness job) {
        Map<String, Integer> partitionOfConnection = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : job.records(JobOptions.FRAMES_TOPIC)) {
            partitionOfConnection.put(new String(r.key(), StandardCharsets.UTF_8), r.partition());
        }
        return job.readCommitted(JobOptions.LATE_FRAMES_TOPIC, FrameEvent.class).stream().collect(Collectors.groupingBy(
                f -> "p" + partitionOfConnection.get(f.connectionId()) + " w"
                        + (f.eventTimeMillis() - T0) / 1_000, java.util.TreeMap::new, Collectors.counting()));
    }

    /** Takes a few milliseconds per frame on the source's thread, as a starved reader does. */
    static final class SlowReader implements org.apache.flink.api.common.functions.MapFunction<
            qp.job.io.Decoded<FrameEvent>, qp.job.io.Decoded<FrameEvent>> {
        static final int MILLIS_PER_FRAME = 5;

        @Override
        public qp.job.io.Decoded<FrameEvent> map(qp.job.io.Decoded<FrameEvent> frame) throws InterruptedException {
            Thread.sleep(MILLIS_PER_FRAME); // simulates a slow reader, synchronises nothing
            return frame;
        }
    }

    @Test
    void largePayloadsOnANodeWithCompressionOffBringARuleRecommendation() throws Exception {
        // Unbounded: the rules skip windows of a node whose metrics have not been read yet, so frames are sent a few
        // windows at a time until the recommendation is there (a bounded job could read every frame first). One frame
        // partition: with two, one of them may be idle between batches while the other moves the watermark on, and
        // its frames would come late.
        JobHarness job = JobHarness.create(KAFKA, "rules", 1);
        int maxWindows = 120;
        List<NodeMetrics> metrics = new ArrayList<>();
        for (int s = 0; s < maxWindows; s++) {
            for (String node : NODES) {
                metrics.add(new NodeMetrics(node, T0 + s * 1_000L, 60, 60, 3e4, 3e4, 0.2, 64L << 20, 512L << 20, 4,
                        0, 0, 1, TunableParams.defaults()));
            }
        }
        job.sendNodeMetrics(metrics);
        org.apache.flink.core.execution.JobClient client = job.start(0, java.util.function.UnaryOperator.identity());
        List<ConsumerRecord<byte[], byte[]>> records = List.of();
        try {
            for (int w = 0; w < maxWindows && records.isEmpty(); w += 4) {
                List<FrameEvent> events = new Traffic(T0 + w * 1_000L, 1_000, 4, NODES, 60, List.of(), w).events()
                        .stream().map(f -> f.nodeId().equals("edge-2")
                                ? withRawBytes(f, 4_096 + (int) (f.seq() * 37 % 4_096)) : f).toList();
                job.sendFrames(Traffic.disorder(events, 200, w));
                int sent = w + 4;
                LiveJobTest.awaitWindow(job, "edge-1", sent - 2); // windows close as the next ones come
                records = job.records(JobOptions.RECOMMENDATIONS_TOPIC);
            }
        } finally {
            client.cancel().get();
        }
        List<Recommendation> recs = records.stream().map(r -> JobHarness.parse(r, Recommendation.class)).toList();
        System.out.println("recommendations: " + recs);
        assertThat(recs).as("only edge-2 has large payloads; one recommendation within the cool-down").singleElement()
                .satisfies(r -> {
                    assertThat(r.nodeId()).isEqualTo("edge-2");
                    assertThat(r.parameter()).isEqualTo(TunableParameter.COMPRESSION_THRESHOLD.wireName());
                    assertThat(r.source()).isEqualTo(Recommendation.SOURCE_RULES);
                    assertThat(r.ruleOrModel()).isEqualTo("compress-large-payloads");
                    assertThat(r.currentValue()).isEqualTo(TunableParams.OFF);
                    assertThat(r.proposedValue()).isBetween(TunableParameter.COMPRESSION_THRESHOLD.min(),
                            TunableParameter.COMPRESSION_THRESHOLD.max());
                    assertThat(r.proposedValue()).as("a quarter of the p95 payload, rounded down to a power of two")
                            .isEqualTo(1_024);
                    assertThat(r.confidence()).isBetween(0.5, 1.0);
                    assertThat(r.evidence()).contains("edge-2", "compression_threshold off -> 1024 bytes",
                            "p95 payload");
                });
        assertThat(new String(records.get(0).key(), StandardCharsets.UTF_8))
                .isEqualTo("edge-2/" + TunableParameter.COMPRESSION_THRESHOLD.wireName());
    }

    static FrameEvent withRawBytes(FrameEvent f, int raw) {
        return new FrameEvent(f.nodeId(), f.connectionId(), f.seq(), f.sessionId(), f.type(), f.op(), f.direction(),
                raw + 6, raw, f.compressed(), f.latencyMicros(), f.outcome(), f.paramVersion(), f.eventTimeMillis());
    }

    @Test
    void injectedIncidentsComeOutAsAnomaliesAndSequencesAsBigrams() throws Exception {
        // the rule detectors' incidents: the traffic anomaly model (MODEL_OUTLIER) is judged in TrafficAnomalyModelTest
        JobHarness job = JobHarness.create(KAFKA, "incidents", 2, "--bounded", "--without-training");
        List<Injection> injections = List.of(
                new Injection(Kind.LATENCY_SPIKE, "edge-1", 20, 22),
                new Injection(Kind.ERROR_BURST, "edge-2", 30, 32),
                new Injection(Kind.TYPE_MIX_SHIFT, "edge-3", 40, 43),
                new Injection(Kind.ERROR_BURST, "edge-1", 45, 47),
                new Injection(Kind.LATENCY_SPIKE, "edge-3", 50, 52));
        Traffic traffic = new Traffic(T0, 1_000, 60, NODES, 150, injections, 7);
        List<FrameEvent> events = traffic.events();
        job.sendFrames(Traffic.disorder(events, 200, 8));
        // qp.node-metrics stays empty: an empty input topic must not hold the job back.

        job.runToEnd(Duration.ofMinutes(2));

        List<ConsumerRecord<byte[], byte[]>> records = job.records(JobOptions.ANOMALIES_TOPIC);
        List<Anomaly> anomalies = records.stream().map(r -> JobHarness.parse(r, Anomaly.class)).toList();
        records.forEach(r -> assertThat(new String(r.key(), StandardCharsets.UTF_8))
                .isEqualTo(JobHarness.parse(r, Anomaly.class).nodeId()));
        int calm = JobOptions.CALM_WINDOWS.defaultValue();
        for (Injection i : injections) {
            // found by its own detector: a frame-level spike alone does not find a latency incident
            AnomalyKind own = AnomalyKind.valueOf(i.kind().name());
            assertThat(anomalies).as("one " + own + " anomaly for " + i)
                    .filteredOn(a -> a.kind() == own && matches(a, i, traffic, calm)).hasSize(1);
            assertThat(anomalies).as("at most one frame-level spike for " + i)
                    .filteredOn(a -> a.kind() == AnomalyKind.FRAME_LATENCY_SPIKE && matches(a, i, traffic, calm))
                    .hasSizeLessThanOrEqualTo(i.kind() == Kind.LATENCY_SPIKE ? 1 : 0);
        }
        List<Anomaly> falseAlarms = anomalies.stream()
                .filter(a -> injections.stream().noneMatch(i -> matches(a, i, traffic, calm))).toList();
        System.out.printf("anomalies: %d for %d injected incidents, %d false alarms: %s%n", anomalies.size(),
                injections.size(), falseAlarms.size(), anomalies.stream().map(a -> a.nodeId() + " " + a.kind() + " w"
                        + traffic.windowOf(a.windowStartMillis())).toList());
        assertThat(falseAlarms).as("false alarms").isEmpty();
        // Measured (seeded traffic, one reader, so deterministic): one anomaly per incident, plus for each latency
        // incident the frame-level spike that the frame detector's cool-down lets through once: 7 anomalies for 5
        // incidents. More means alarms multiplied.
        long latencyIncidents = injections.stream().filter(i -> i.kind() == Kind.LATENCY_SPIKE).count();
        assertThat(anomalies).as("one anomaly per incident, one frame-level spike per latency incident at most")
                .hasSizeLessThanOrEqualTo(injections.size() + (int) latencyIncidents);

        Map<String, Map<String, Long>> expectedBigrams = BigramOracle.expectedOfEvents(events, 1_000);
        List<BigramWindow> bigrams = job.readCommitted(JobOptions.BIGRAMS_TOPIC, BigramWindow.class);
        assertThat(bigrams.stream().map(b -> b.nodeId() + "|" + b.windowStartMillis()).collect(Collectors.toSet()))
                .isEqualTo(expectedBigrams.keySet());
        assertThat(bigrams).hasSize(expectedBigrams.size());
        for (BigramWindow b : bigrams) {
            Map<String, Long> want = expectedBigrams.get(b.nodeId() + "|" + b.windowStartMillis());
            assertThat(b.totalTransitions()).isEqualTo(want.values().stream().mapToLong(Long::longValue).sum());
            assertThat(b.distinctSequences()).isEqualTo(want.size());
            assertThat(b.top()).isNotEmpty().allSatisfy(c -> assertThat(c.count()).as(c.sequence())
                    .isEqualTo(want.get(BigramCount.sequenceOf(c.from(), c.to()))));
            long topCount = want.values().stream().mapToLong(Long::longValue).max().orElseThrow();
            assertThat(b.top().get(0).count()).isEqualTo(topCount);
        }
        // The shift to DATA on edge-3 shows in its sequences: DATA->DATA leads while it lasts.
        assertThat(bigrams).filteredOn(b -> b.nodeId().equals("edge-3")
                        && traffic.active(Kind.TYPE_MIX_SHIFT, "edge-3", traffic.windowOf(b.windowStartMillis())))
                .isNotEmpty().allSatisfy(b -> assertThat(b.top().get(0).sequence()).isEqualTo("DATA->DATA"));
    }

    /** Same node, same kind of incident, seen from its first window to a few calm windows after it. */
    static boolean matches(Anomaly a, Injection i, Traffic traffic, int calmWindows) {
        boolean kind = switch (i.kind()) {
            case LATENCY_SPIKE -> a.kind() == AnomalyKind.LATENCY_SPIKE || a.kind() == AnomalyKind.FRAME_LATENCY_SPIKE;
            case ERROR_BURST -> a.kind() == AnomalyKind.ERROR_BURST;
            case TYPE_MIX_SHIFT -> a.kind() == AnomalyKind.TYPE_MIX_SHIFT;
        };
        int w = traffic.windowOf(a.windowStartMillis());
        return kind && a.nodeId().equals(i.nodeId()) && w >= i.fromWindow() && w <= i.toWindow() + calmWindows;
    }

    /** Per "node|windowStart", the count of each FROM->TO of consecutive frames of a connection (event time, seq). */
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
