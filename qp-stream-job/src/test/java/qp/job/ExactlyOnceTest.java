package qp.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import qp.job.config.JobOptions;
import qp.job.io.Decoded;
import qp.job.io.DeadLetter;
import qp.job.io.QpTypes;
import qp.protocol.analytics.WindowStats;
import qp.protocol.events.FrameEvent;
import qp.broker.EmbeddedKafka;
import qp.testsupport.kafka.KafkaRecords;

/**
 * Kills the job once mid-stream, after a checkpoint has completed and while results of later windows sit in an open
 * Kafka transaction; the job restores from that checkpoint (fixed-delay, one attempt) and finishes. A reader with
 * read_committed must then see every window result exactly once, with the right counts.
 */
class ExactlyOnceTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    static final EmbeddedKafka KAFKA = EmbeddedKafka.shared();
    static final long T0 = 1_700_000_000_000L;

    static final AtomicLong SEEN = new AtomicLong();
    static final AtomicInteger CHECKPOINTS_DONE = new AtomicInteger();
    static final AtomicBoolean FAILED = new AtomicBoolean();

    /** The failing operator reports through statics (it runs in the MiniCluster's threads): fresh for every test. */
    @org.junit.jupiter.api.BeforeEach
    void resetWhatTheFailingOperatorSaw() {
        SEEN.set(0);
        CHECKPOINTS_DONE.set(0);
        FAILED.set(false);
    }

    @Test
    void everyWindowResultIsCommittedExactlyOnceAcrossAFailureAndRestore() throws Exception {
        JobHarness job = JobHarness.create(KAFKA, "eos", 2, "--bounded", "--checkpoint-interval", "500ms");
        List<String> nodes = List.of("edge-1", "edge-2", "edge-3");
        List<FrameEvent> events = new Traffic(T0, 1_000, 90, nodes, 100, List.of(), 11).events();
        String frames = job.topic(JobOptions.FRAMES_TOPIC);
        KafkaRecords.send(KAFKA.bootstrapServers(), frames, List.of(
                KafkaRecords.record(frames, "bad", "garbage-1".getBytes(StandardCharsets.UTF_8)),
                KafkaRecords.record(frames, "bad", "garbage-2".getBytes(StandardCharsets.UTF_8))));
        job.sendFrames(events);

        job.runToEnd(Duration.ofMinutes(2), 1, s -> s.map(new FailOnceWithOpenTransaction(events.size() / 3,
                        KAFKA.bootstrapServers(), job.topic(JobOptions.WINDOW_STATS_TOPIC)))
                .returns(QpTypes.DECODED_FRAME).name("fail-once").uid("fail-once"));

        assertThat(FAILED).as("the job was killed mid-stream").isTrue();
        Map<String, Traffic.Expected> expected = Traffic.expectedWindows(events, 1_000);
        Map<String, Integer> seen = new HashMap<>();
        List<ConsumerRecord<byte[], byte[]>> committed = job.records(JobOptions.WINDOW_STATS_TOPIC);
        for (ConsumerRecord<byte[], byte[]> r : committed) {
            WindowStats s = JobHarness.parse(r, WindowStats.class);
            String key = s.nodeId() + "|" + s.type() + "|" + s.windowStartMillis();
            seen.merge(key, 1, Integer::sum);
            assertThat(s.count()).as(key).isEqualTo(expected.get(key).count);
        }
        assertThat(seen.keySet()).isEqualTo(expected.keySet());
        assertThat(seen.values()).as("each window result once").containsOnly(1);
        assertThat(job.readCommitted(JobOptions.DLQ_TOPIC, DeadLetter.class)).extracting(DeadLetter::valueText)
                .containsExactlyInAnyOrder("garbage-1", "garbage-2");

        // What a read_uncommitted reader sees includes the aborted attempt: the failure really cut through output.
        int uncommitted = KafkaRecords.readToEnd(KAFKA.bootstrapServers(), job.topic(JobOptions.WINDOW_STATS_TOPIC), false).size();
        System.out.printf("window-stats records: %d committed, %d including aborted transactions%n",
                committed.size(), uncommitted);
        assertThat(uncommitted).isGreaterThan(committed.size());
    }

    /**
     * Throws once, after {@code afterRecords} records, a completed checkpoint, and at the moment the output topic holds
     * window results in an open transaction (its high watermark is above its last stable offset): the failure then
     * certainly cuts through uncommitted output. Slows the stream a little so that this happens while data flows.
     */
    static final class FailOnceWithOpenTransaction
            implements MapFunction<Decoded<FrameEvent>, Decoded<FrameEvent>>, CheckpointListener {
        private final long afterRecords;
        private final String bootstrap;
        private final String outputTopic;
        private transient long nextLookNanos;

        FailOnceWithOpenTransaction(long afterRecords, String bootstrap, String outputTopic) {
            this.afterRecords = afterRecords;
            this.bootstrap = bootstrap;
            this.outputTopic = outputTopic;
        }

        @Override
        public Decoded<FrameEvent> map(Decoded<FrameEvent> value) throws Exception {
            long n = SEEN.incrementAndGet();
            if (n % 4 == 0) {
                Thread.sleep(1);
            }
            if (n >= afterRecords && CHECKPOINTS_DONE.get() > 0 && !FAILED.get() && System.nanoTime() > nextLookNanos) {
                nextLookNanos = System.nanoTime() + 20_000_000L;
                if (openTransactionHoldsRecords() && FAILED.compareAndSet(false, true)) {
                    throw new IllegalStateException("injected failure after " + n + " records");
                }
            }
            return value;
        }

        private boolean openTransactionHoldsRecords() {
            return end(false) > end(true);
        }

        private long end(boolean committed) {
            java.util.Properties p = new java.util.Properties();
            p.put("bootstrap.servers", bootstrap);
            p.put("isolation.level", committed ? "read_committed" : "read_uncommitted");
            try (org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> c =
                    new org.apache.kafka.clients.consumer.KafkaConsumer<>(p,
                            new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                            new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
                org.apache.kafka.common.TopicPartition tp = new org.apache.kafka.common.TopicPartition(outputTopic, 0);
                return c.endOffsets(List.of(tp)).get(tp);
            }
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            CHECKPOINTS_DONE.incrementAndGet();
        }
    }
}
