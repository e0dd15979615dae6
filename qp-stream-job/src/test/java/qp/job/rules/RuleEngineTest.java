package qp.job.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import qp.job.analytics.AnalyticsSettings;
import qp.job.analytics.Harnesses;
import qp.job.analytics.TestWindows;
import qp.protocol.analytics.Recommendation;
import qp.protocol.analytics.WindowStats;
import qp.protocol.events.NodeMetrics;
import qp.protocol.params.TunableParams;

class RuleEngineTest {
    static final AnalyticsSettings.Rules R = AnalyticsSettings.Rules.defaults();

    static KeyedTwoInputStreamOperatorTestHarness<String, WindowStats, NodeMetrics, Recommendation> harness(
            AnalyticsSettings.Rules rules) throws Exception {
        var h = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new RuleEngine(rules, DefaultRules.all())),
                WindowStats::nodeId, NodeMetrics::nodeId, Types.STRING);
        Harnesses.noKryo(h.getExecutionConfig().getSerializerConfig());
        h.open();
        return h;
    }

    static NodeMetrics metrics(String node, long t, int connections, long heartbeatTimeouts, TunableParams p) {
        return new NodeMetrics(node, t, 100, 100, 1e4, 1e4, 0.2, 1 << 20, 1 << 28, connections, heartbeatTimeouts, 0,
                3, p);
    }

    /** A quiet window: average payloads, low latency, low throughput. Nothing should fire. */
    static WindowStats quiet(String node, int i) {
        return TestWindows.row(node, WindowStats.ALL_TYPES, i, 100, 0, 100, 1000, 500, 900, 1000, Map.of());
    }

    static WindowStats largePayloads(String node, int i) {
        return TestWindows.row(node, WindowStats.ALL_TYPES, i, 100, 0, 100, 1000, 3000, 8192, 9000, Map.of());
    }

    static void window(KeyedTwoInputStreamOperatorTestHarness<String, WindowStats, NodeMetrics, Recommendation> h,
            WindowStats w) throws Exception {
        h.processElement1(w, w.windowEndMillis() - 1);
    }

    @Test
    void largePayloadsSustainedForThreeWindowsRecommendCompressionOnceWithinTheCoolDown() throws Exception {
        try (var h = harness(R)) {
            h.processElement2(metrics("n1", 1, 10, 0, TunableParams.defaults()), 1);
            window(h, quiet("n1", 0));
            window(h, largePayloads("n1", 1));
            window(h, largePayloads("n1", 2));
            assertTrue(h.extractOutputValues().isEmpty(), "not sustained yet");
            window(h, largePayloads("n1", 3));
            List<Recommendation> out = h.extractOutputValues();
            assertEquals(1, out.size(), out.toString());
            Recommendation r = out.get(0);
            assertEquals("n1", r.nodeId());
            assertEquals("compression_threshold", r.parameter());
            assertEquals(TunableParams.OFF, r.currentValue());
            assertEquals(2048, r.proposedValue(), "a quarter of the 8 KiB p95, as a power of two");
            assertEquals(0.7, r.confidence(), 1e-9);
            assertEquals(Recommendation.SOURCE_RULES, r.source());
            assertEquals(DefaultRules.VERSION, r.modelVersion());
            assertEquals("compress-large-payloads", r.ruleOrModel());
            assertEquals("bytes", r.targetMetric());
            assertEquals(3, r.paramVersion(), "computed against the version the node reported");
            assertEquals(Recommendation.idFor("n1", "compression_threshold", TunableParams.OFF, 2048, 3,
                    Recommendation.SOURCE_RULES, "compress-large-payloads"), r.id());
            assertEquals(4 * TestWindows.WINDOW_MILLIS, r.createdAtMillis());
            assertTrue(r.evidence().startsWith("node n1 | compression_threshold off -> 2048 bytes | expected -30% bytes"
                    + " | p95 payload 8192 B"), r.evidence());
            window(h, largePayloads("n1", 4));
            window(h, largePayloads("n1", 5));
            assertEquals(1, h.extractOutputValues().size(), "cool-down");
            window(h, largePayloads("n1", 6));
            assertEquals(2, h.extractOutputValues().size(), "at full confidence it speaks once more, cool-down or not");
            Recommendation sure = h.extractOutputValues().get(1);
            assertEquals(0.9, sure.confidence(), 1e-9, "a long streak: more confident");
            assertEquals(Recommendation.idFor("n1", "compression_threshold", TunableParams.OFF, 2048, 3,
                    Recommendation.SOURCE_RULES, "compress-large-payloads/sustained"), sure.id(), "an id of its own");
            int coolDownWindows = (int) (R.cooldownMillis() / TestWindows.WINDOW_MILLIS);
            for (int i = 7; i < 6 + coolDownWindows; i++) {
                window(h, largePayloads("n1", i));
            }
            assertEquals(2, h.extractOutputValues().size(), "then the cool-down holds, from the second");
            window(h, largePayloads("n1", 6 + coolDownWindows));
            assertEquals(3, h.extractOutputValues().size(), "after the cool-down it speaks again");
        }
    }

    @Test
    void withoutNodeMetricsThereIsNoCurrentValueAndNoRecommendation() throws Exception {
        try (var h = harness(R.withSustainWindows(1))) {
            for (int i = 0; i < 5; i++) {
                window(h, largePayloads("n2", i));
            }
            assertTrue(h.extractOutputValues().isEmpty());
            assertEquals(0, h.numKeyedStateEntries());
        }
    }

    @Test
    void latencyNearTheConnectionLimitFrameSizesNearTheirLimitAndHeartbeatTimeoutsEachMapToTheirParameter()
            throws Exception {
        try (var h = harness(R.withSustainWindows(1))) {
            TunableParams p = TunableParams.defaults().with(Map.of(
                    qp.protocol.params.TunableParameter.COMPRESSION_THRESHOLD, 1024L));
            h.processElement2(metrics("n1", 1, 95, 2, p), 1);
            h.processElement2(metrics("n1", 2, 95, 2, p), 2);
            WindowStats w = TestWindows.row("n1", WindowStats.ALL_TYPES, 0, 100, 3, 100, 80_000, 500, 900,
                    900_000, Map.of());
            window(h, w);
            Map<String, Recommendation> byParam = new java.util.TreeMap<>();
            h.extractOutputValues().forEach(r -> byParam.put(r.parameter(), r));
            assertEquals(List.of("heartbeat_interval", "max_connections", "max_frame_bytes"),
                    List.copyOf(byParam.keySet()));
            assertEquals(150, byParam.get("max_connections").proposedValue());
            assertEquals(2L << 20, byParam.get("max_frame_bytes").proposedValue());
            assertEquals(45_000, byParam.get("heartbeat_interval").proposedValue());
            assertTrue(byParam.get("heartbeat_interval").evidence().contains("4 heartbeat timeouts"));

            window(h, TestWindows.row("n1", WindowStats.ALL_TYPES, 1, 100, 3, 100, 80_000, 500, 900, 900_000,
                    Map.of()));
            assertEquals(5, h.extractOutputValues().size(), "timeouts were counted once; the two that held twice "
                    + "their sustain windows speak once more at full confidence");
            assertEquals(0.9, h.extractOutputValues().get(4).confidence(), 1e-9);
            window(h, TestWindows.row("n1", WindowStats.ALL_TYPES, 2, 100, 3, 100, 80_000, 500, 900, 900_000,
                    Map.of()));
            assertEquals(5, h.extractOutputValues().size(), "then they cool down");
        }
    }

    @Test
    void batchingForManySmallFrames() throws Exception {
        try (var h = harness(R.withSustainWindows(1))) {
            h.processElement2(metrics("n1", 1, 10, 0, TunableParams.defaults()), 1);
            window(h, TestWindows.row("n1", WindowStats.ALL_TYPES, 0, 5000, 0, 5000, 1000, 40, 80, 100, Map.of()));
            Recommendation r = h.extractOutputValues().get(0);
            assertEquals("buffer_size", r.parameter());
            assertEquals(8192, r.currentValue());
            assertEquals(16384, r.proposedValue());
        }
    }

    @Test
    void aSilentNodeIsForgotten() throws Exception {
        try (var h = harness(R)) {
            h.processElement2(metrics("n1", 1_000, 10, 0, TunableParams.defaults()), 1_000);
            window(h, quiet("n1", 0));
            assertEquals(3, h.numKeyedStateEntries(), "node view, rule state, clean-up time");
            assertEquals(1, h.numEventTimeTimers());
            h.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(
                    TestWindows.WINDOW_MILLIS + R.keyIdleMillis()));
            assertEquals(0, h.numKeyedStateEntries());
            assertEquals(0, h.numEventTimeTimers());
        }
    }
}
