package qp.job.windows;

import java.util.Map;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import qp.protocol.analytics.PayloadSizeBuckets;
import qp.protocol.analytics.SketchCodec;
import qp.protocol.analytics.WindowStats;
import qp.protocol.analytics.WindowView;

/** Turns a closed window's accumulator into a {@link WindowStats} row, for node/type keys and for node keys. */
public final class WindowStatsFunctions {
    private WindowStatsFunctions() {
    }

    public static WindowStats toStats(String nodeId, String type, WindowView view, TimeWindow window,
            StatsAccumulator acc) {
        double seconds = Math.max(1, window.getEnd() - window.getStart()) / 1000.0;
        return new WindowStats(nodeId, type, view, window.getStart(), window.getEnd(), acc.count, acc.bytes,
                acc.count / seconds, acc.bytes / seconds, acc.errors,
                acc.count == 0 ? 0 : (double) acc.errors / acc.count, acc.latencySamples(),
                acc.latencyQuantile(0.50), acc.latencyQuantile(0.95), acc.latencyQuantile(0.99),
                acc.latencyMaxMicros, acc.payloadMean, acc.payloadStddev(), acc.payloadQuantile(0.95),
                acc.payloadMaxBytes, acc.trackTypeMix ? Map.copyOf(acc.typeMix) : Map.of(),
                PayloadSizeBuckets.toMap(acc.payloadBuckets), SketchCodec.toBase64(acc.latency));
    }

    /**
     * Key (node, type). With {@code partials}, each closed window's accumulator also goes to
     * {@link WindowStatsStage#TYPE_PARTIALS} for the per-node window; only when the window fires once (no allowed
     * lateness), since a second firing would hand over the whole accumulator again.
     */
    public static final class ByType
            extends ProcessWindowFunction<StatsAccumulator, WindowStats, Tuple2<String, String>, TimeWindow> {
        private final boolean partials;

        public ByType(boolean partials) {
            this.partials = partials;
        }

        @Override
        public void process(Tuple2<String, String> key, Context ctx, Iterable<StatsAccumulator> accs,
                Collector<WindowStats> out) {
            for (StatsAccumulator acc : accs) {
                out.collect(toStats(key.f0, key.f1, WindowView.TUMBLING, ctx.window(), acc));
                if (partials) { // timestamped window.maxTimestamp(): the same window one level down
                    ctx.output(WindowStatsStage.TYPE_PARTIALS, new TypeWindowPartial(key.f0, key.f1, acc));
                }
            }
        }
    }

    /** Key node; the row over all types, with the type mix. */
    public static final class ByNode extends ProcessWindowFunction<StatsAccumulator, WindowStats, String, TimeWindow> {
        private final WindowView view;

        public ByNode(WindowView view) {
            this.view = view;
        }

        private transient NodeWindowGauges gauges;

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext openContext) {
            if (view == WindowView.TUMBLING) { // the sliding view would overwrite them with overlapping windows
                gauges = new NodeWindowGauges(getRuntimeContext().getMetricGroup());
            }
        }

        @Override
        public void process(String node, Context ctx, Iterable<StatsAccumulator> accs, Collector<WindowStats> out) {
            for (StatsAccumulator acc : accs) {
                WindowStats s = toStats(node, WindowStats.ALL_TYPES, view, ctx.window(), acc);
                if (gauges != null) {
                    gauges.update(s);
                }
                out.collect(s);
            }
        }
    }
}
