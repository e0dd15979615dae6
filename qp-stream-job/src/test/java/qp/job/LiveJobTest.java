package qp.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.state.IncrementalRemoteKeyedStateHandle;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import qp.job.config.JobOptions;
import qp.job.state.RetainedCheckpoints;
import qp.protocol.analytics.WindowStats;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;
import qp.protocol.json.QpJson;
import qp.broker.EmbeddedKafka;
import qp.testsupport.kafka.KafkaRecords;

/** The job running unbounded, as in production: late frames, and a node that goes silent. */
class LiveJobTest {
    static final InMemoryReporter METRICS = InMemoryReporter.create();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    static final EmbeddedKafka KAFKA = EmbeddedKafka.shared();
    static final long T0 = 1_700_000_000_000L;

    @Test
    void lateFramesAreCountedAndWrittenToTheLateTopicNotToTheirWindow() throws Exception {
        JobHarness job = JobHarness.create(KAFKA, "late", 1);
        JobClient client = job.start(0, UnaryOperator.identity());
        try {
            List<FrameEvent> early = steady(List.of("edge-1", "edge-2"), 0, 10);
            job.sendFrames(early);
            awaitWindow(job, "edge-1", 6); // the watermark is past window 6, so window 2 is closed
            List<FrameEvent> late = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                late.add(frame("edge-1", "late-c", i, "COMMAND", T0 + 2_000 + 100 * i));
            }
            job.sendFrames(late);
            job.sendFrames(steady(List.of("edge-1", "edge-2"), 10, 15));
            awaitWindow(job, "edge-1", 13);

            List<ConsumerRecord<byte[], byte[]>> lateRecords = job.recordsAtLeast(JobOptions.LATE_FRAMES_TOPIC, late.size());
            assertThat(lateRecords.stream().map(r -> JobHarness.parse(r, FrameEvent.class)).toList())
                    .containsExactlyInAnyOrderElementsOf(late);
            assertThat(lateRecords).allSatisfy(r ->
                    assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("late-c"));
            long window2 = early.stream().filter(f -> f.nodeId().equals("edge-1")
                    && f.eventTimeMillis() / 1_000 == T0 / 1_000 + 2).count();
            List<String> edge1 = job.readCommitted(JobOptions.WINDOW_STATS_TOPIC, WindowStats.class).stream()
                    .filter(s -> s.nodeId().equals("edge-1") && s.isAllTypes())
                    .map(s -> "w" + (s.windowStartMillis() - T0) / 1_000 + "=" + s.count()).toList();
            assertThat(edge1).as("edge-1 windows: the late frames did not reopen window 2").contains("w2=" + window2)
                    .filteredOn(w -> w.startsWith("w2=")).hasSize(1);
            long counted = METRICS.findMetrics(client.getJobID(), "lateFrames").values().stream()
                    .mapToLong(m -> ((Counter) m).getCount()).sum();
            assertThat(counted).as("metric lateFrames").isEqualTo(late.size());
        } finally {
            client.cancel().get();
        }
    }

    @Test
    void aSilentNodesLastWindowsCloseOnTheOtherNodesTimeOnceItsPartitionIsIdle() throws Exception {
        JobHarness job = JobHarness.create(KAFKA, "silent", 2);
        // edge-1 on partition 0 keeps going; edge-2 on partition 1 stops after window 5. Both are in Kafka before the
        // job starts (a start with a backlog): partition 1 must not be released as idle before it has been read.
        send(job, 0, steady(List.of("edge-1"), 0, 16));
        send(job, 1, steady(List.of("edge-2"), 0, 6));
        JobClient client = job.start(0, UnaryOperator.identity());
        try {
            awaitWindow(job, "edge-2", 5);
            awaitWindow(job, "edge-1", 14);
            assertThat(windowCounts(job, "edge-2")).as("edge-2: every window, every frame")
                    .isEqualTo(expectedCounts(0, 6));
            assertThat(windowCounts(job, "edge-1")).as("edge-1 up to window 14").containsAllEntriesOf(expectedCounts(0, 15));
            assertThat(job.records(JobOptions.LATE_FRAMES_TOPIC)).as("late frames").isEmpty();
        } finally {
            client.cancel().get();
        }
    }

    @Test
    void aPartitionThatNeverGetsAFrameDoesNotHoldBackTheWindowsOfSteadyLiveTraffic() throws Exception {
        JobHarness job = JobHarness.create(KAFKA, "steady", 2);
        JobClient client = job.start(0, UnaryOperator.identity());
        // edge-1's frames reach partition 0 one at a time, 20 per second of event time and of wall time, for as long as
        // the test runs (a gateway under steady load), so the reader has a new record at almost every watermark check;
        // partition 1 never gets one (fewer connections than partitions). Its windows must close while the traffic
        // goes on, not only once it stops (the demo's windows stalled for 80 s of its compressible phase this way).
        AtomicBoolean stop = new AtomicBoolean();
        Thread gateway = new Thread(() -> sendLive(job, 0, "edge-1", stop), "steady-gateway");
        gateway.start();
        try {
            awaitWindow(job, "edge-1", 10);
            assertThat(gateway.isAlive()).as("the traffic is still flowing").isTrue();
            assertThat(windowCounts(job, "edge-1")).containsAllEntriesOf(expectedCounts(0, 11));
            assertThat(job.records(JobOptions.LATE_FRAMES_TOPIC)).as("late frames").isEmpty();
        } finally {
            stop.set(true);
            gateway.join();
            client.cancel().get();
        }
    }

    /** Sends {@code node}'s frames of {@link #steady} one by one, paced at their event time, until {@code stop}. */
    static void sendLive(JobHarness job, int partition, String node, AtomicBoolean stop) {
        String topic = job.topic(JobOptions.FRAMES_TOPIC);
        try (var producer = KafkaRecords.producer(KAFKA.bootstrapServers())) {
            long start = System.currentTimeMillis();
            for (int w = 0; !stop.get(); w++) {
                for (FrameEvent f : steady(List.of(node), w, w + 1)) {
                    long due = start + (f.eventTimeMillis() - T0);
                    Thread.sleep(Math.max(0, due - System.currentTimeMillis()));
                    producer.send(new ProducerRecord<>(topic, partition,
                            f.connectionId().getBytes(StandardCharsets.UTF_8), QpJson.bytes(f)));
                    producer.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aJobStartedBeforeTheTrafficCountsEveryFrameOfEveryPartition() throws Exception {
        JobHarness job = JobHarness.create(KAFKA, "before", 2);
        JobClient client = job.start(0, UnaryOperator.identity());
        try {
            // Running, with both partitions empty for longer than the idle timeout (5 s: checkpoints every 500 ms).
            awaitCompletedCheckpoints(client, 12);
            // Live traffic: both partitions written together, in event-time order, as gateways do.
            String topic = job.topic(JobOptions.FRAMES_TOPIC);
            List<ProducerRecord<byte[], byte[]>> live = new ArrayList<>();
            for (FrameEvent f : steady(List.of("edge-1", "edge-2"), 0, 16)) {
                live.add(new ProducerRecord<>(topic, f.nodeId().equals("edge-1") ? 0 : 1,
                        f.connectionId().getBytes(StandardCharsets.UTF_8), QpJson.bytes(f)));
            }
            KafkaRecords.send(KAFKA.bootstrapServers(), topic, live);
            awaitWindow(job, "edge-1", 14);
            awaitWindow(job, "edge-2", 14);
            assertThat(windowCounts(job, "edge-1")).containsAllEntriesOf(expectedCounts(0, 15));
            assertThat(windowCounts(job, "edge-2")).containsAllEntriesOf(expectedCounts(0, 15));
            assertThat(job.records(JobOptions.LATE_FRAMES_TOPIC)).as("late frames").isEmpty();
        } finally {
            client.cancel().get();
        }
    }

    @Test
    void theLatestWindowOfEachNodeShowsAsMetricsInTheRestApi(@org.apache.flink.test.junit5.InjectClusterClient
            org.apache.flink.client.program.ClusterClient<?> cluster) throws Exception {
        String rest = cluster.getWebInterfaceURL();
        JobHarness job = JobHarness.create(KAFKA, "metrics", 1);
        send(job, 0, steady(List.of("edge-1", "edge-2"), 0, 8));
        JobClient client = job.start(0, UnaryOperator.identity());
        try {
            awaitWindow(job, "edge-1", 6);
            awaitWindow(job, "edge-2", 6);
            String jobPath = rest + "/jobs/" + client.getJobID();
            // The gauges of edge-1, wherever its key landed: the max over the operator's subtasks.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                Map<String, Double> m = RestMetrics.operatorMetrics(jobPath, "window-stats-by-node", "node.edge-1.");
                // not yet reported is a failed assertion (retried), not a null that ends the wait
                assertThat(m).as("gauges reported").containsKeys("windowEndMillis", "latencyP99Micros",
                        "latencyP50Micros", "throughputPerSec", "errorRate");
                assertThat(m.get("windowEndMillis")).as("window end").isGreaterThanOrEqualTo(T0 + 7_000.0);
                assertThat(m.get("latencyP99Micros")).as("p99: frames take 1000-1006 us").isBetween(995.0, 1_012.0);
                assertThat(m.get("latencyP50Micros")).as("p50").isBetween(995.0, 1_012.0);
                assertThat(m.get("throughputPerSec")).as("20 frames in 1 s").isEqualTo(20.0);
                assertThat(m.get("errorRate")).isEqualTo(0.0);
            });
            Map<String, Double> anomalies = RestMetrics.operatorMetrics(jobPath, "count-anomalies", "anomalies.");
            assertThat(anomalies).containsKeys("LATENCY_SPIKE", "ERROR_BURST", "TYPE_MIX_SHIFT", "FRAME_LATENCY_SPIKE");
            assertThat(RestMetrics.operatorMetrics(jobPath, "count-recommendations", "")).containsKey("recommendations");
        } finally {
            client.cancel().get();
        }
    }

    @Test
    void theRocksDbBackendCheckpointsIncrementallyAndResumesWithEveryWindowExactlyOnce(
            @org.apache.flink.test.junit5.InjectClusterClient org.apache.flink.client.program.ClusterClient<?> cluster)
            throws Exception {
        JobHarness job = JobHarness.create(KAFKA, "rocksdb", 1, "--state-backend", "rocksdb");
        send(job, 0, steady(List.of("edge-1", "edge-2"), 0, 8));
        JobClient first = job.start(0, UnaryOperator.identity());
        try {
            awaitWindow(job, "edge-1", 6);
            awaitWindow(job, "edge-2", 6);
            awaitCompletedCheckpoints(first, 2);
            JsonNode checkpointing = RestMetrics.get(cluster.getWebInterfaceURL() + "/jobs/" + first.getJobID()
                    + "/checkpoints/config");
            assertThat(checkpointing.get("state_backend").asText()).as("state backend").contains("RocksDB");
            assertThat(checkpointing.get("min_pause").asLong()).as("min pause: half the interval")
                    .isEqualTo(job.config.get(JobOptions.CHECKPOINT_INTERVAL).toMillis() / 2);
        } finally {
            first.cancel().get();
        }
        // The retained checkpoint holds RocksDB's incremental handles (its files, shared with later checkpoints).
        RetainedCheckpoints.Found retained = RetainedCheckpoints.latest(job.config.get(JobOptions.CHECKPOINT_DIR))
                .orElseThrow(() -> new AssertionError("no retained checkpoint after cancel"));
        List<KeyedStateHandle> keyed = keyedStateHandles(retained.path());
        assertThat(keyed).as("keyed state in " + retained.path()).isNotEmpty()
                .allSatisfy(h -> assertThat(h).isInstanceOf(IncrementalRemoteKeyedStateHandle.class));

        send(job, 0, steady(List.of("edge-1", "edge-2"), 8, 16));
        JobClient second = job.startFrom(retained.path());
        try {
            awaitWindow(job, "edge-1", 14);
            awaitWindow(job, "edge-2", 14);
            // windowCounts fails on a window written twice; every window of both runs is there once with every frame.
            assertThat(windowCounts(job, "edge-1")).containsAllEntriesOf(expectedCounts(0, 15));
            assertThat(windowCounts(job, "edge-2")).containsAllEntriesOf(expectedCounts(0, 15));
            assertThat(job.records(JobOptions.LATE_FRAMES_TOPIC)).as("late frames").isEmpty();
        } finally {
            second.cancel().get();
        }
    }

    /** The managed keyed state handles of every operator in the checkpoint at {@code checkpointPath}. */
    static List<KeyedStateHandle> keyedStateHandles(String checkpointPath) throws java.io.IOException {
        java.nio.file.Path metadata = java.nio.file.Path.of(java.net.URI.create(checkpointPath)).resolve("_metadata");
        try (java.io.DataInputStream in = new java.io.DataInputStream(java.nio.file.Files.newInputStream(metadata))) {
            CheckpointMetadata m = Checkpoints.loadCheckpointMetadata(in, LiveJobTest.class.getClassLoader(),
                    checkpointPath);
            List<KeyedStateHandle> out = new ArrayList<>();
            m.getOperatorStates().forEach(op -> op.getStates().forEach(s -> out.addAll(s.getManagedKeyedState())));
            return out;
        }
    }

    /** Window index (seconds after T0) to the count of the node's all-types row. */
    static java.util.Map<Long, Long> windowCounts(JobHarness job, String node) {
        return job.readCommitted(JobOptions.WINDOW_STATS_TOPIC, WindowStats.class).stream()
                .filter(s -> s.nodeId().equals(node) && s.isAllTypes())
                .collect(Collectors.toMap(s -> (s.windowStartMillis() - T0) / 1_000, WindowStats::count));
    }

    /** What {@link #steady} puts in each window of one node: 20 frames. */
    static java.util.Map<Long, Long> expectedCounts(int from, int to) {
        java.util.Map<Long, Long> m = new java.util.HashMap<>();
        for (long w = from; w < to; w++) {
            m.put(w, 20L);
        }
        return m;
    }

    static void awaitCompletedCheckpoints(JobClient client, long n) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
                METRICS.findMetrics(client.getJobID(), "numberOfCompletedCheckpoints").values().stream()
                        .anyMatch(m -> ((org.apache.flink.metrics.Gauge<?>) m).getValue() instanceof Number v
                                && v.longValue() >= n));
    }

    /** Frames of each node in windows [from, to), 20 per window, in event-time order. */
    static List<FrameEvent> steady(List<String> nodes, int from, int to) {
        List<FrameEvent> out = new ArrayList<>();
        for (int w = from; w < to; w++) {
            for (int i = 0; i < 20; i++) {
                for (String node : nodes) {
                    out.add(frame(node, node + "-c", w * 20L + i, i % 3 == 0 ? "DATA" : "COMMAND", T0 + w * 1_000L + i * 50L));
                }
            }
        }
        return out;
    }

    static FrameEvent frame(String node, String conn, long seq, String type, long time) {
        return new FrameEvent(node, conn, seq, "s", type, null, Direction.IN, 60, 54, false, 1_000 + seq % 7,
                FrameEvent.OK, 1, time);
    }

    static void send(JobHarness job, int partition, List<FrameEvent> frames) {
        String topic = job.topic(JobOptions.FRAMES_TOPIC);
        KafkaRecords.send(KAFKA.bootstrapServers(), topic, frames.stream().map(f -> new ProducerRecord<>(topic,
                partition, f.connectionId().getBytes(StandardCharsets.UTF_8), QpJson.bytes(f))).toList());
    }

    static void awaitWindow(JobHarness job, String node, int window) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                job.readCommitted(JobOptions.WINDOW_STATS_TOPIC, WindowStats.class).stream().anyMatch(s ->
                        s.nodeId().equals(node) && s.isAllTypes() && s.windowStartMillis() == T0 + window * 1_000L));
    }
}
