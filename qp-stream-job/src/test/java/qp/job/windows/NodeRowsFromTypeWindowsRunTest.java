package qp.job.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import qp.job.analytics.AnalyticsSettings;
import qp.job.analytics.Harnesses;
import qp.job.pipeline.AnalyticsOutputs;
import qp.job.pipeline.AnalyticsPipeline;
import qp.protocol.analytics.WindowStats;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;

/**
 * The analytics graph on a local cluster with parallelism 2, the node rows merged from the per-type windows: one of
 * the two watermark-assigning partitions never gets a frame and goes idle while the other moves event time on, and
 * every node row equals what an oracle computes from the frames (none of the per-type partials came late).
 */
class NodeRowsFromTypeWindowsRunTest {
    static final long T0 = 1_700_000_000_000L;
    static final long WINDOW = 1_000;

    /** Paces the stream a little, so event time moves on while the silent partition is idle. */
    static final class Pace implements MapFunction<FrameEvent, FrameEvent> {
        private int n;

        @Override
        public FrameEvent map(FrameEvent f) throws Exception {
            if (++n % 8 == 0) {
                Thread.sleep(1);
            }
            return f;
        }
    }

    @Test
    void nodeRowsEqualTheOracleWithParallelismTwoAndAnIdlePartition() throws Exception {
        List<FrameEvent> events = NodeRowOracle.traffic(new Random(31), T0, WINDOW, 4, 8);
        Random rnd = new Random(32);
        record Arrival(double at, FrameEvent f) {
        }
        List<FrameEvent> shuffled = events.stream() // out of order within the 300 ms watermark delay
                .map(f -> new Arrival(f.eventTimeMillis() + rnd.nextDouble() * 200, f))
                .sorted(Comparator.comparingDouble(Arrival::at)).map(Arrival::f).toList();

        StreamExecutionEnvironment env = Harnesses.environment();
        env.setParallelism(2);
        env.getConfig().setAutoWatermarkInterval(20);
        DataStream<FrameEvent> frames = env.fromData(shuffled, TypeInformation.of(FrameEvent.class))
                .map(new Pace()).setParallelism(1)
                .partitionCustom((key, partitions) -> 0, FrameEvent::nodeId) // partition 1 gets nothing
                .assignTimestampsAndWatermarks(WatermarkStrategy
                        .<FrameEvent>forBoundedOutOfOrderness(Duration.ofMillis(300))
                        .withTimestampAssigner((f, t) -> f.eventTimeMillis())
                        .withIdleness(Duration.ofMillis(50)));
        DataStream<NodeMetrics> metrics = Harnesses.oneMetricsSample(env, "n1", T0);
        AnalyticsSettings settings = AnalyticsSettings.defaults()
                .withWindows(AnalyticsSettings.Windows.defaults().withSizeMillis(WINDOW));
        AnalyticsOutputs out = AnalyticsPipeline.build(frames, metrics, settings);
        List<WindowStats> rows = out.windowStats().executeAndCollect(100_000);

        Map<String, WindowStats> nodeRows = new TreeMap<>();
        Map<String, Long> typeCounts = new TreeMap<>();
        for (WindowStats w : rows) {
            String key = w.nodeId() + "|" + w.windowStartMillis();
            if (w.isAllTypes()) {
                assertEquals(null, nodeRows.put(key, w), "one node row per window: " + key);
            } else {
                typeCounts.merge(key, w.count(), Long::sum);
            }
        }
        Map<String, List<FrameEvent>> expected = NodeRowOracle.byNodeWindow(events, WINDOW);
        assertEquals(expected.keySet(), nodeRows.keySet());
        Map<String, Long> expectedCounts = new HashMap<>();
        expected.forEach((k, fs) -> expectedCounts.put(k, (long) fs.size()));
        assertEquals(expectedCounts, typeCounts, "the per-type rows add up to the frames");
        for (Map.Entry<String, WindowStats> e : nodeRows.entrySet()) {
            NodeRowOracle.assertRow(expected.get(e.getKey()), e.getValue(),
                    settings.windows().sketchRelativeAccuracy());
        }
    }
}
