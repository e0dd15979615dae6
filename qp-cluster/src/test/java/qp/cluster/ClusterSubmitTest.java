package qp.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import qp.cluster.rest.FlinkRestClient;
import qp.cluster.rest.FlinkRestException;
import qp.cluster.rest.Poll;
import qp.cluster.session.ClusterLayout;
import qp.cluster.session.ClusterOptions;
import qp.cluster.session.ClusterSettings;
import qp.cluster.session.SessionCluster;
import qp.cluster.submit.JobSubmitter;
import qp.options.OptionArgs;
import qp.protocol.analytics.WindowStats;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;
import qp.protocol.json.QpJson;
import qp.broker.EmbeddedKafka;
import qp.testsupport.kafka.KafkaRecords;
import qp.broker.FreePorts;

/**
 * "Submit the job to your cluster", for real: a JobManager and a TaskManager JVM on the qp-flink-dist class path, the
 * shaded job jar uploaded through the REST API against the in-process broker, frame events in, window rows out; then
 * stop with a savepoint and resume from it: every window row exactly once with its exact count, none lost, none twice.
 * One cluster for the class; each test has its own topics and ids, and ends every job it left on the cluster (and waits
 * for their slots) after it, pass or fail, so that one test's failure cannot fail the next.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // 21 s a test on a quiet machine; its own waits end within 6 min
class ClusterSubmitTest {
    static final EmbeddedKafka KAFKA = EmbeddedKafka.shared();
    static final long T0 = 1_700_000_000_000L; // a whole second: 1 s windows start at T0 + n s
    static final Set<String> ENDED = Set.of("FINISHED", "FAILED", "CANCELED");
    static final List<String> NODES = List.of("edge-1", "edge-2");
    static final String[] TYPES = {"COMMAND", "DATA", "ACK"};
    static final Duration CLEAN_UP_WITHIN = Duration.ofMinutes(2);
    static String clusterId;
    static String id; // per test and attempt: topics, group and transactional ids of one test never meet another's

    static ClusterLayout layout;
    static SessionCluster cluster;
    static FlinkRestClient rest;
    static JobSubmitter submitter;
    static final Poll POLL = new Poll(Clock.systemUTC(), Duration.ofMillis(300));

    @BeforeAll
    @Timeout(value = 15, unit = TimeUnit.MINUTES) // a start took 4 min at load 60; --start-timeout gives up at 6 min
    static void startCluster() throws Exception {
        Path stateDir = Files.createTempDirectory(Path.of("target"), "cluster-");
        clusterId = stateDir.getFileName().toString();
        // Below the ephemeral range: the cluster's JVMs bind these later, after their own clients have connected.
        int webUi = FreePorts.pick();
        ClusterSettings settings = ClusterSettings.from(OptionArgs.parse(ClusterOptions.ALL,
                "--state-dir", stateDir.toString(), "--dist-classpath", System.getProperty("qp.flinkDistClasspath"),
                "--web-ui-port", String.valueOf(webUi), "--rpc-port", String.valueOf(FreePorts.pick()),
                "--blob-port", String.valueOf(FreePorts.pick()),
                "--taskmanager-rpc-port", String.valueOf(FreePorts.pick()),
                "--taskmanager-data-port", String.valueOf(FreePorts.pick()), "--slots", "2",
                "--start-timeout", "6min", // generous: on this shared 2-core machine a start took 4 min at load 60
                "-Drestart-strategy.type=none")); // a failing job fails the test instead of retrying for ever
        layout = settings.layout();
        cluster = new SessionCluster(POLL);
        SessionCluster.Status status = cluster.start(settings);
        assertThat(status.running()).as(status.describe()).isTrue();
        rest = new FlinkRestClient(settings.restUrl(), Duration.ofMinutes(2));
        submitter = new JobSubmitter(rest, POLL, Duration.ofMinutes(4));
    }

    @BeforeEach
    void ownIds(TestInfo test) {
        id = clusterId + "-" + test.getTestMethod().orElseThrow().getName();
    }

    /** Cancels every job that has not ended, whatever the test left; waits until they have and their slots are free. */
    @AfterEach
    void noJobLeftRunning() {
        if (rest == null) {
            return; // the cluster did not start: nothing can run on it
        }
        for (FlinkRestClient.JobSummary j : rest.jobs()) {
            if (!ENDED.contains(j.state())) {
                try {
                    rest.cancel(j.id());
                } catch (FlinkRestException e) {
                    System.out.println("cancel " + j + ": " + e.getMessage() + " (it may have ended meanwhile)");
                }
            }
        }
        POLL.until(CLEAN_UP_WITHIN, "every job to end and free its slots", () -> {
            boolean jobsEnded = rest.jobs().stream().allMatch(j -> ENDED.contains(j.state()));
            FlinkRestClient.ClusterOverview o = rest.overview();
            return jobsEnded && o.slotsAvailable() == o.slotsTotal() ? Optional.of(true) : Optional.empty();
        });
    }

    @AfterAll
    static void stopCluster() throws IOException {
        if (cluster != null) {
            cluster.stop(layout, Duration.ofSeconds(30));
            assertThat(cluster.status(layout).pids()).as("no cluster process left").isEmpty();
        }
    }

    @Test
    void theJobJarRunsOnTheClusterAndResumesFromItsSavepointWithoutLosingOrCountingTwice() throws Exception {
        assertThat(rest.overview().flinkVersion()).as("the cluster runs the Flink of the pom").isEqualTo(System.getProperty("qp.flinkVersion"));
        // One frames partition: the frames reach the job in the order sent, so nothing is late by construction.
        KAFKA.createTopics(id + ".frames:1", id + ".node-metrics", id + ".window-stats", id + ".anomalies",
                id + ".bigrams", id + ".recommendations", id + ".trends", id + ".dlq", id + ".late-frames");
        List<FrameEvent> frames = frames(12);
        // Window 5 has frames in both runs: its count is exact only if its state came through the savepoint.
        long split = T0 + 5_500;
        send(frames.stream().filter(f -> f.eventTimeMillis() < split).toList());

        JobSubmitter.Submitted first = submitter.submit(jobJar(), "qp.job.JobMain", "qp-stream-job", jobArgs(), null, false);
        assertThat(first.webUiUrl()).contains(first.jobId());
        awaitRows(rows -> rows.stream().anyMatch(w -> w.windowStartMillis() >= T0 + 3_000), expectedCounts(frames));
        assertThatThrownBy(() -> submitter.submit(jobJar(), "qp.job.JobMain", "qp-stream-job", jobArgs(), null, false))
                .as("a second copy beside the running one").isInstanceOf(FlinkRestException.class)
                .hasMessageContaining("already runs");

        String savepoint = submitter.stopWithSavepoint("qp-stream-job", null);
        assertThat(savepoint).startsWith("file:").contains(layout.savepoints().toString());
        assertThat(rest.jobState(first.jobId())).isEqualTo("FINISHED");
        int rowsAtSavepoint = readRows().size();
        assertThat(rowsAtSavepoint).as("windows closed in the first run").isPositive();

        // The rest of the frames, and one frame per connection 20 s later so that every window before it closes.
        send(frames.stream().filter(f -> f.eventTimeMillis() >= split).toList());
        send(closers(frames));
        JobSubmitter.Submitted second = submitter.submit(jobJar(), "qp.job.JobMain", "qp-stream-job", jobArgs(),
                savepoint, false);
        assertThat(second.jobId()).isNotEqualTo(first.jobId());

        Map<String, Long> expected = expectedCounts(frames);
        List<WindowStats> rows = awaitRows(r -> r.size() >= expected.size(), expected);
        Map<String, Long> got = new TreeMap<>();
        for (WindowStats w : rows) {
            assertThat(got.put(key(w.nodeId(), w.type(), w.windowStartMillis()), w.count()))
                    .as("one row per node/type/window across both runs: " + key(w.nodeId(), w.type(), w.windowStartMillis()))
                    .isNull();
        }
        assertThat(got).isEqualTo(new TreeMap<>(expected));
        assertThat(rowsAtSavepoint).as("the second run added rows").isLessThan(rows.size());
        assertThat(KafkaRecords.readToEnd(KAFKA.bootstrapServers(), id + ".late-frames", true)).as("nothing late").isEmpty();
        assertThat(KafkaRecords.readToEnd(KAFKA.bootstrapServers(), id + ".dlq", true)).isEmpty();

        String last = submitter.stopWithSavepoint("qp-stream-job", null);
        assertThat(last).isNotEqualTo(savepoint);
        assertThat(rest.jobState(second.jobId())).isEqualTo("FINISHED");
        assertThat(rest.jobs()).as("nothing left running").allSatisfy(j -> assertThat(j.state()).isIn(ENDED));
    }

    @Test
    void badInputGetsAnErrorThatSaysWhatToDo() {
        assertThatThrownBy(() -> submitter.submit(Path.of("target/no-such.jar"), "qp.job.JobMain", "qp-stream-job",
                List.of(), null, false)).hasMessageContaining("no job jar at target/no-such.jar")
                .hasMessageContaining("mvn -B package");
        assertThatThrownBy(() -> submitter.submit(jobJar(), "qp.job.JobMain", "qp-stream-job",
                List.of("--window-size", "nonsense"), null, false)).isInstanceOf(FlinkRestException.class)
                .hasMessageContaining("main() exited").hasMessageContaining("jobmanager.out");
        assertThat(Files.exists(layout.outFile(qp.cluster.session.FlinkProcess.JOBMANAGER))).isTrue();
        assertThatThrownBy(() -> submitter.stopWithSavepoint("no-such-job", null))
                .hasMessageContaining("no job named 'no-such-job'");
        assertThatThrownBy(() -> submitter.submit(jobJar(), "qp.job.JobMain", "qp-stream-job", jobArgs(),
                "file:/no/such/savepoint", false)).isInstanceOf(FlinkRestException.class)
                .hasMessageContaining("/no/such/savepoint");
    }

    static List<String> jobArgs() {
        return List.of("--bootstrap-servers", KAFKA.bootstrapServers(), "--group-id", id,
                "--transactional-id-prefix", id, "--starting-offsets", "earliest",
                "--frames-topic", id + ".frames", "--node-metrics-topic", id + ".node-metrics",
                "--window-stats-topic", id + ".window-stats", "--anomalies-topic", id + ".anomalies",
                "--bigrams-topic", id + ".bigrams", "--recommendations-topic", id + ".recommendations",
                "--trends-topic", id + ".trends", "--dlq-topic", id + ".dlq", "--late-frames-topic", id + ".late-frames",
                "--window-size", "1s", "--watermark-delay", "500ms", "--idle-timeout", "1s",
                "--checkpoint-interval", "1s", "--parallelism", "2");
    }

    /** Frames of every node over {@code windows} one-second windows, in event-time order, 4 connections per node. */
    static List<FrameEvent> frames(int windows) {
        List<FrameEvent> out = new ArrayList<>();
        Map<String, Long> seqs = new HashMap<>();
        for (long t = 0; t < windows * 1_000L; t += 20) {
            for (String node : NODES) {
                int i = (int) (t / 20);
                String conn = node + "-c" + (i % 4);
                long seq = seqs.merge(conn, 1L, Long::sum);
                String type = TYPES[(i + node.length()) % TYPES.length];
                out.add(frame(node, conn, seq, type, T0 + t + (node.equals("edge-1") ? 0 : 7)));
            }
        }
        return out;
    }

    static List<FrameEvent> closers(List<FrameEvent> frames) {
        Map<String, FrameEvent> lastPerConnection = new TreeMap<>();
        frames.forEach(f -> lastPerConnection.put(f.connectionId(), f));
        long later = frames.get(frames.size() - 1).eventTimeMillis() + 20_000;
        return lastPerConnection.values().stream()
                .map(f -> frame(f.nodeId(), f.connectionId(), f.seq() + 1, "ACK", later)).toList();
    }

    static FrameEvent frame(String node, String conn, long seq, String type, long time) {
        return new FrameEvent(node, conn, seq, "s-" + conn, type, type.equals("COMMAND") ? "echo" : null,
                type.equals("ACK") ? Direction.OUT : Direction.IN, 106, 100, false, 1_000 + seq % 500, FrameEvent.OK, 1,
                time);
    }

    /** Count per node/type/window and per node/*\/window, from the frames themselves. */
    static Map<String, Long> expectedCounts(List<FrameEvent> frames) {
        Map<String, Long> counts = new HashMap<>();
        for (FrameEvent f : frames) {
            long start = f.eventTimeMillis() - Math.floorMod(f.eventTimeMillis(), 1_000L);
            counts.merge(key(f.nodeId(), f.type(), start), 1L, Long::sum);
            counts.merge(key(f.nodeId(), WindowStats.ALL_TYPES, start), 1L, Long::sum);
        }
        return counts;
    }

    static String key(String node, String type, long windowStart) {
        return node + "|" + type + "|w" + (windowStart - T0) / 1_000;
    }

    static void send(List<FrameEvent> frames) {
        String topic = id + ".frames";
        List<ProducerRecord<byte[], byte[]>> records = frames.stream()
                .map(f -> KafkaRecords.record(topic, f.connectionId(), QpJson.bytes(f))).toList();
        KafkaRecords.send(KAFKA.bootstrapServers(), topic, records);
    }

    static List<WindowStats> readRows() {
        return KafkaRecords.readToEnd(KAFKA.bootstrapServers(), id + ".window-stats", true).stream().map(r -> {
            try {
                return QpJson.read(r.value(), WindowStats.class);
            } catch (IOException e) {
                throw new AssertionError("not a WindowStats row: " + new String(r.value()), e);
            }
        }).toList();
    }

    static List<WindowStats> awaitRows(java.util.function.Predicate<List<WindowStats>> enough,
            Map<String, Long> expected) {
        try {
            return POLL.until(Duration.ofMinutes(4), "window rows in " + id + ".window-stats",
                    () -> Optional.of(readRows()).filter(enough));
        } catch (FlinkRestException e) {
            // Say what is missing, so that a failure here can be understood from the report alone.
            Map<String, Long> got = new TreeMap<>();
            readRows().forEach(w -> got.merge(key(w.nodeId(), w.type(), w.windowStartMillis()), w.count(), Long::sum));
            Map<String, Long> missing = new TreeMap<>(expected);
            missing.keySet().removeAll(got.keySet());
            throw new AssertionError(e.getMessage() + "; rows " + got.size() + " of " + expected.size() + ", missing "
                    + missing.keySet() + ", late frames " + KafkaRecords.readToEnd(KAFKA.bootstrapServers(),
                    id + ".late-frames", true).size() + ", jobs " + rest.jobs(), e);
        }
    }

    static Path jobJar() {
        return Path.of(System.getProperty("qp.jobJar"));
    }
}
