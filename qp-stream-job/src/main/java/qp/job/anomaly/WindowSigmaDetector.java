package qp.job.anomaly;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import qp.job.analytics.AnalyticsSettings;
import qp.protocol.analytics.Anomaly;
import qp.protocol.analytics.AnomalyKind;
import qp.protocol.analytics.Severity;
import qp.protocol.analytics.WindowStats;
import qp.protocol.analytics.WindowView;

/**
 * A 3σ detector over one value of a key's tumbling windows: anomalous when value &gt; mean + kσ of the key's own EWMA
 * baseline, after warm-up, with hysteresis; the state of a silent key is dropped by an event-time timer.
 *
 * @param <K> the key
 */
public abstract class WindowSigmaDetector<K> extends KeyedProcessFunction<K, WindowStats, Anomaly> {
    protected final AnalyticsSettings.Detectors settings;
    private transient ValueState<WindowDetectorState> state;

    protected WindowSigmaDetector(AnalyticsSettings.Detectors settings) {
        this.settings = settings;
    }

    protected abstract AnomalyKind kind();

    /** Whether this window can be judged at all (enough samples, the right kind of row). */
    protected abstract boolean judgeable(WindowStats w);

    protected abstract double value(WindowStats w);

    /** The smallest σ to use for this window, given the baseline. */
    protected abstract double sigmaFloor(WindowStats w, EwmaBaseline b);

    /** Further conditions an anomaly must meet besides kσ (e.g. a minimum error count); true by default. */
    protected boolean materiallyBad(WindowStats w) {
        return true;
    }

    protected abstract String describe(WindowStats w, double value, double mean, double sigma, double threshold);

    @Override
    public void open(OpenContext ctx) {
        state = getRuntimeContext().getState(
                new ValueStateDescriptor<>("detector", TypeInformation.of(WindowDetectorState.class)));
    }

    @Override
    public void processElement(WindowStats w, Context ctx, Collector<Anomaly> out) throws Exception {
        if (w.view() != WindowView.TUMBLING || !judgeable(w)) {
            return;
        }
        WindowDetectorState s = state.value();
        if (s == null) {
            s = WindowDetectorState.initial();
        }
        if (w.windowEndMillis() <= s.lastWindowEnd()) {
            return; // the same window again (late data within allowed lateness): judged once
        }
        EwmaBaseline b = s.baseline();
        double k = settings.sigmaThreshold();
        double x = value(w);
        double sigma = b.sigma(sigmaFloor(w, b));
        boolean warmedUp = b.n() >= settings.warmupWindows();
        double threshold = b.mean() + k * sigma;
        boolean anomalous = warmedUp && x > threshold && materiallyBad(w);
        boolean calm = x <= b.mean() + settings.exitSigma() * sigma;
        if (s.incident().raises(anomalous)) {
            double score = (x - b.mean()) / sigma;
            out.collect(new Anomaly(w.nodeId(), w.type(), kind(), score >= 2 * k ? Severity.CRITICAL : Severity.WARNING,
                    score, x, b.mean(), sigma, threshold, w.windowStartMillis(), w.windowEndMillis(),
                    describe(w, x, b.mean(), sigma, threshold)));
        }
        long cleanupAt = w.windowEndMillis() + settings.keyIdleMillis();
        if (s.cleanupAtMillis() != Long.MIN_VALUE && s.cleanupAtMillis() != cleanupAt) {
            ctx.timerService().deleteEventTimeTimer(s.cleanupAtMillis());
        }
        ctx.timerService().registerEventTimeTimer(cleanupAt);
        state.update(new WindowDetectorState(b.learn(x, settings.ewmaAlpha(), warmedUp, k, sigma),
                s.incident().next(anomalous, calm, settings.calmWindows()), w.windowEndMillis(), cleanupAt));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Anomaly> out) throws Exception {
        WindowDetectorState s = state.value();
        if (s != null && s.cleanupAtMillis() == timestamp) {
            state.clear(); // silent for keyIdleMillis: forget the key
        }
    }
}
