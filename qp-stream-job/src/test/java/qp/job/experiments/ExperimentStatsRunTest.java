package qp.job.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import qp.job.pipeline.AnalyticsOutputs;
import qp.job.pipeline.AnalyticsPipeline;
import qp.job.analytics.AnalyticsSettings;
import qp.job.analytics.Harnesses;
import qp.job.io.QpTypes;
import qp.protocol.analytics.ExperimentStats;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;
import qp.protocol.params.TunableParams;

/**
 * The analytics graph's experiment statistics on a local cluster with parallelism 2, fed an out-of-order stream
 * within the watermark delay: experiments on three nodes (two of them the same experiment), a node without one, and
 * frames before the experiments start. Every record equals what the test computes from the frames.
 */
class ExperimentStatsRunTest {
    static final long T0 = 1_700_000_000_000L;
    static final long WINDOW = 1_000;

    @Test
    void everyNodeAndExperimentGetsItsOwnExactWindowsAndFramesWithoutOneGetNothing() throws Exception {
        List<FrameEvent> frames = new ArrayList<>(ExperimentTraffic.frames(21, T0, WINDOW, 6,
                List.of(new ExperimentTraffic.Run("edge-1", "exp-a"), new ExperimentTraffic.Run("edge-2", "exp-b"),
                        new ExperimentTraffic.Run("edge-3", "exp-a")), List.of("edge-4"), 300));
        // an experiment frame without its arm cannot be put in a cell: left out (and counted in a metric)
        frames.add(new FrameEvent("edge-1", "edge-1-c99", 0, "edge-1-s99", "DATA", null, Direction.IN, 10, 4, false,
                90, "ok", 1, T0 + 2_500, "exp-a", null, null));
        List<FrameEvent> shuffled = disorder(frames, new Random(22));

        StreamExecutionEnvironment env = Harnesses.environment();
        env.setParallelism(2);
        DataStream<FrameEvent> source = env.fromData(shuffled, QpTypes.FRAME)
                .assignTimestampsAndWatermarks(WatermarkStrategy
                        .<FrameEvent>forBoundedOutOfOrderness(Duration.ofMillis(300))
                        .withTimestampAssigner((f, t) -> f.eventTimeMillis()));
        DataStream<NodeMetrics> metrics = env.fromData(List.of(new NodeMetrics("edge-1", T0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 1, TunableParams.defaults())), TypeInformation.of(NodeMetrics.class));
        AnalyticsOutputs out = AnalyticsPipeline.build(source, metrics,
                AnalyticsSettings.defaults().withWindows(AnalyticsSettings.Windows.defaults().withSizeMillis(WINDOW)));
        List<ExperimentStats> got = out.experimentStats().executeAndCollect(10_000);

        ExperimentOracle.assertMatches(got, ExperimentOracle.windows(frames, WINDOW), WINDOW);
        assertThat(got).extracting(ExperimentStats::nodeId).as("edge-4 runs no experiment").doesNotContain("edge-4")
                .contains("edge-1", "edge-2", "edge-3");
        assertThat(got).extracting(ExperimentStats::windowStartMillis).as("the experiments start in window 1")
                .doesNotContain(T0);
        assertThat(got).filteredOn(s -> s.nodeId().equals("edge-2")).extracting(ExperimentStats::experimentId)
                .containsOnly("exp-b");
    }

    /** Each frame moved up to 200 ms later in arrival order: out of order, but within the 300 ms watermark delay. */
    static List<FrameEvent> disorder(List<FrameEvent> events, Random rnd) {
        record Arrival(double at, FrameEvent f) {
        }
        return events.stream().map(f -> new Arrival(f.eventTimeMillis() + rnd.nextDouble() * 200, f))
                .sorted(Comparator.comparingDouble(Arrival::at)).map(Arrival::f).toList();
    }
}
