package qp.job.trends;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import qp.job.analytics.AnalyticsSettings;
import qp.protocol.analytics.TrendReport;
import qp.protocol.analytics.WindowStats;
import qp.protocol.analytics.WindowView;

/**
 * Per node, over its last N tumbling all-types windows: least-squares slopes of throughput and p95 latency against
 * time (per minute), classified RISING/FALLING when the change per window is at least {@code flatRelativeSlope} of
 * the series' mean; and the payload-size histogram summed over those windows. Reports from the third window on.
 */
public final class TrendFunction extends KeyedProcessFunction<String, WindowStats, TrendReport> {
    static final int MIN_POINTS = 3;
    private final AnalyticsSettings.Trends settings;
    private final long keyIdleMillis;
    private transient ValueState<TrendState> state;

    public TrendFunction(AnalyticsSettings.Trends settings, long keyIdleMillis) {
        this.settings = settings;
        this.keyIdleMillis = keyIdleMillis;
    }

    @Override
    public void open(OpenContext ctx) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("trend", TypeInformation.of(TrendState.class)));
    }

    @Override
    public void processElement(WindowStats w, Context ctx, Collector<TrendReport> out) throws Exception {
        if (!w.isAllTypes() || w.view() != WindowView.TUMBLING) {
            return;
        }
        TrendState s = state.value();
        List<TrendPoint> points = new ArrayList<>(s == null ? List.of() : s.points());
        if (!points.isEmpty() && w.windowEndMillis() <= points.get(points.size() - 1).windowEndMillis()) {
            return; // a window firing again for late data
        }
        points.add(new TrendPoint(w.windowStartMillis(), w.windowEndMillis(), w.count(), w.throughputPerSec(),
                w.latencySamples(), w.latencyP95Micros(), w.payloadMeanBytes(), w.payloadP95Bytes(),
                w.payloadSizeHistogram() == null ? Map.of() : w.payloadSizeHistogram()));
        while (points.size() > settings.windows()) {
            points.remove(0);
        }
        if (points.size() >= MIN_POINTS) {
            out.collect(report(w.nodeId(), points, w.windowLengthMillis()));
        }
        long cleanupAt = w.windowEndMillis() + keyIdleMillis;
        if (s != null && s.cleanupAtMillis() != cleanupAt) {
            ctx.timerService().deleteEventTimeTimer(s.cleanupAtMillis());
        }
        ctx.timerService().registerEventTimeTimer(cleanupAt);
        state.update(new TrendState(points, cleanupAt));
    }

    TrendReport report(String node, List<TrendPoint> points, long windowMillis) {
        int n = points.size();
        double[] minutes = new double[n];
        double[] throughput = new double[n];
        double[] latMinutes = new double[n];
        double[] latency = new double[n];
        int latN = 0;
        long frames = 0;
        double payloadBytes = 0;
        Map<String, Long> histogram = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            TrendPoint p = points.get(i);
            minutes[i] = p.windowEndMillis() / 60_000.0;
            throughput[i] = p.throughputPerSec();
            if (p.latencySamples() > 0) {
                latMinutes[latN] = minutes[i];
                latency[latN++] = p.latencyP95Micros();
            }
            frames += p.count();
            payloadBytes += p.payloadMeanBytes() * p.count();
            p.payloadSizeHistogram().forEach((bucket, c) -> histogram.merge(bucket, c, Long::sum));
        }
        double tSlope = Slope.of(minutes, throughput, n);
        double lSlope = Slope.of(latMinutes, latency, latN);
        TrendPoint last = points.get(n - 1);
        return new TrendReport(node, n, points.get(0).windowStartMillis(), last.windowEndMillis(),
                last.throughputPerSec(), tSlope, classify(tSlope, mean(throughput, n), windowMillis),
                last.latencyP95Micros(), lSlope, classify(lSlope, mean(latency, latN), windowMillis),
                frames == 0 ? 0 : payloadBytes / frames, last.payloadP95Bytes(), histogram);
    }

    private TrendReport.Trend classify(double slopePerMin, double mean, long windowMillis) {
        double perWindow = slopePerMin * windowMillis / 60_000.0;
        if (mean <= 0 || Math.abs(perWindow) < settings.flatRelativeSlope() * mean) {
            return TrendReport.Trend.FLAT;
        }
        return perWindow > 0 ? TrendReport.Trend.RISING : TrendReport.Trend.FALLING;
    }

    private static double mean(double[] v, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += v[i];
        }
        return n == 0 ? 0 : s / n;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TrendReport> out) throws Exception {
        TrendState s = state.value();
        if (s != null && s.cleanupAtMillis() == timestamp) {
            state.clear();
        }
    }
}
