package qp.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import qp.job.config.JobOptions;
import qp.job.experiments.ExperimentOracle;
import qp.job.experiments.ExperimentTraffic;
import qp.protocol.analytics.ExperimentStats;
import qp.protocol.events.FrameEvent;
import qp.protocol.json.QpJson;
import qp.broker.EmbeddedKafka;

/** The whole job, Kafka in and out: qp.experiment-stats holds exact records, keyed node/experiment, as QpJson reads them. */
class ExperimentStatsKafkaTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    static final EmbeddedKafka KAFKA = EmbeddedKafka.shared();
    static final long T0 = 1_700_000_000_000L;

    @Test
    void experimentStatsOnTheTopicAreExactKeyedByNodeAndExperimentAndRoundTripThroughQpJson() throws Exception {
        JobHarness job = JobHarness.create(KAFKA, "experiments", 2, "--bounded", "--without-training");
        List<FrameEvent> frames = ExperimentTraffic.frames(31, T0, 1_000, 5,
                List.of(new ExperimentTraffic.Run("edge-1", "exp-a"), new ExperimentTraffic.Run("edge-2", "exp-b")),
                List.of("edge-3"), 200);
        job.sendFrames(frames);

        job.runToEnd(Duration.ofMinutes(2));

        List<ExperimentStats> got = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : job.records(JobOptions.EXPERIMENT_STATS_TOPIC)) {
            ExperimentStats s = JobHarness.parse(r, ExperimentStats.class);
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(s.nodeId() + "/" + s.experimentId());
            assertThat(QpJson.treeOf(QpJson.bytes(s))).as("read and written again, the JSON is the same")
                    .isEqualTo(QpJson.treeOf(r.value()));
            assertThat(QpJson.treeOf(r.value()).has("windowLengthMillis")).as("only the record's fields").isFalse();
            got.add(s);
        }
        ExperimentOracle.assertMatches(got, ExperimentOracle.windows(frames, 1_000), 1_000);
        assertThat(got).extracting(ExperimentStats::nodeId).containsOnly("edge-1", "edge-2");
    }
}
