package qp.job.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import qp.job.bigrams.BigramOracle;
import qp.job.pipeline.AnalyticsOutputs;
import qp.job.pipeline.AnalyticsPipeline;
import qp.protocol.analytics.BigramCount;
import qp.protocol.analytics.BigramWindow;
import qp.protocol.analytics.WindowStats;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;

/**
 * The analytics graph alone (no Kafka) on a small local cluster with parallelism 2, fed an out-of-order stream
 * within the watermark delay: every window count and every bigram count equals what is computed from the events.
 */
class AnalyticsPipelineRunTest {
    static final long T0 = 1_700_000_000_000L;
    static final long WINDOW = 1_000;
    static final String[] TYPES = {"AUTH", "COMMAND", "ACK", "DATA", "HEARTBEAT"};

    @Test
    void windowCountsAndBigramsAreExactForAnOutOfOrderStream() throws Exception {
        List<FrameEvent> events = traffic(new Random(11));
        List<FrameEvent> shuffled = disorder(events, new Random(12));

        StreamExecutionEnvironment env = Harnesses.environment();
        env.setParallelism(2);
        DataStream<FrameEvent> frames = env.fromData(shuffled, TypeInformation.of(FrameEvent.class))
                .assignTimestampsAndWatermarks(WatermarkStrategy
                        .<FrameEvent>forBoundedOutOfOrderness(Duration.ofMillis(300))
                        .withTimestampAssigner((f, t) -> f.eventTimeMillis()));
        DataStream<NodeMetrics> metrics = Harnesses.oneMetricsSample(env, "n1", T0);
        AnalyticsSettings settings = AnalyticsSettings.defaults()
                .withWindows(AnalyticsSettings.Windows.defaults().withSizeMillis(WINDOW));
        AnalyticsOutputs out = AnalyticsPipeline.build(frames, metrics, settings);
        DataStream<String> rows = out.windowStats().map(w -> "W|" + w.nodeId() + "|" + w.type() + "|"
                        + w.windowStartMillis() + "|" + w.count())
                .union(out.bigrams().flatMap((BigramWindow b, org.apache.flink.util.Collector<String> c) -> {
                    c.collect("B|" + b.nodeId() + "|" + b.windowStartMillis() + "|" + b.totalTransitions() + "|"
                            + b.distinctSequences());
                    for (BigramCount bc : b.top()) {
                        c.collect("S|" + b.nodeId() + "|" + b.windowStartMillis() + "|" + bc.sequence() + "|"
                                + bc.count());
                    }
                }, TypeInformation.of(String.class)))
                .union(out.lateFrames().map(f -> "L|" + f.seq()));
        List<String> got = rows.executeAndCollect(100_000);

        assertEquals(List.of(), got.stream().filter(r -> r.startsWith("L|")).toList(), "nothing late");
        assertEquals(expectedWindowRows(events), got.stream().filter(r -> r.startsWith("W|")).sorted().toList());
        Map<String, Map<String, Long>> bigrams = BigramOracle.expectedOfEvents(events, WINDOW);
        List<String> expectedTotals = bigrams.entrySet().stream().map(e -> "B|" + e.getKey() + "|"
                + e.getValue().values().stream().mapToLong(Long::longValue).sum() + "|" + e.getValue().size())
                .sorted().toList();
        assertEquals(expectedTotals, got.stream().filter(r -> r.startsWith("B|")).sorted().toList());
        List<String> seqRows = got.stream().filter(r -> r.startsWith("S|")).toList();
        assertTrue(seqRows.size() > bigrams.size(), "the top sequences are listed");
        for (String r : seqRows) {
            String[] p = r.split("\\|");
            assertEquals(bigrams.get(p[1] + "|" + p[2]).get(p[3]), Long.valueOf(p[4]), r);
        }
    }

    /** 3 nodes × 3 connections, 20 windows, a session-like type sequence per connection, both directions. */
    static List<FrameEvent> traffic(Random rnd) {
        List<FrameEvent> out = new ArrayList<>();
        for (String node : List.of("n1", "n2", "n3")) {
            for (int c = 0; c < 3; c++) {
                long seq = 0;
                for (long t = T0 + rnd.nextInt(50); t < T0 + 20 * WINDOW; t += 5 + rnd.nextInt(40)) {
                    String type = seq == 0 ? "AUTH" : TYPES[1 + rnd.nextInt(TYPES.length - 1)];
                    Direction d = type.equals("ACK") ? Direction.OUT : Direction.IN;
                    out.add(new FrameEvent(node, node + "-c" + c, seq++, "s", type, null, d, 57, 50, false,
                            100 + rnd.nextInt(900), FrameEvent.OK, 1, t));
                }
            }
        }
        return out;
    }

    /** Each frame moved up to 200 ms later in arrival order: out of order, but within the 300 ms watermark delay. */
    static List<FrameEvent> disorder(List<FrameEvent> events, Random rnd) {
        record Arrival(double at, FrameEvent f) {
        }
        return events.stream().map(f -> new Arrival(f.eventTimeMillis() + rnd.nextDouble() * 200, f))
                .sorted(Comparator.comparingDouble(Arrival::at)).map(Arrival::f).toList();
    }

    static List<String> expectedWindowRows(List<FrameEvent> events) {
        Map<String, Long> counts = new HashMap<>();
        for (FrameEvent f : events) {
            long start = f.eventTimeMillis() - Math.floorMod(f.eventTimeMillis(), WINDOW);
            counts.merge(f.nodeId() + "|" + f.type() + "|" + start, 1L, Long::sum);
            counts.merge(f.nodeId() + "|" + WindowStats.ALL_TYPES + "|" + start, 1L, Long::sum);
        }
        return counts.entrySet().stream().map(e -> "W|" + e.getKey() + "|" + e.getValue()).sorted().toList();
    }
}
