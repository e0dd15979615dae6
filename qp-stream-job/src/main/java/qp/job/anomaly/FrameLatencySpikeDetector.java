package qp.job.anomaly;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import qp.job.analytics.AnalyticsSettings;
import qp.protocol.analytics.Anomaly;
import qp.protocol.analytics.AnomalyKind;
import qp.protocol.analytics.Severity;
import qp.protocol.events.FrameEvent;

/**
 * FRAME_LATENCY_SPIKE: one frame whose latency is above mean + kσ of its node/type's recent frames, k =
 * {@code frameSigmaThreshold}. The baseline is on ln(latency), where latencies are close to normal, so kσ keeps its
 * meaning for heavy-tailed traffic. After a
 * report the key is quiet for {@code frameCooldownMillis}; the spikes held back are counted into the next report.
 */
public final class FrameLatencySpikeDetector
        extends KeyedProcessFunction<Tuple2<String, String>, FrameEvent, Anomaly> {
    private static final double MIN_LOG_SIGMA = 0.05; // ≈5%: a perfectly steady key still needs a real jump
    private static final long CLEANUP_GRANULARITY_MILLIS = 1_000; // one timer move per second per key, not per frame
    private final AnalyticsSettings.Detectors settings;
    private transient ValueState<FrameBaselineState> state;

    public FrameLatencySpikeDetector(AnalyticsSettings.Detectors settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext ctx) {
        state = getRuntimeContext().getState(
                new ValueStateDescriptor<>("frame-baseline", TypeInformation.of(FrameBaselineState.class)));
    }

    @Override
    public void processElement(FrameEvent f, Context ctx, Collector<Anomaly> out) throws Exception {
        if (f.latencyMicros() <= 0) {
            return; // no reply, no latency
        }
        FrameBaselineState s = state.value();
        if (s == null) {
            s = new FrameBaselineState(EwmaBaseline.empty(), Long.MIN_VALUE, 0, Long.MIN_VALUE);
        }
        EwmaBaseline b = s.logLatency();
        double k = settings.frameSigmaThreshold();
        double y = Math.log(f.latencyMicros());
        double sigma = b.sigma(MIN_LOG_SIGMA);
        boolean warmedUp = b.n() >= settings.frameWarmupFrames();
        double threshold = b.mean() + k * sigma;
        long cooldownUntil = s.cooldownUntilMillis();
        long heldBack = s.heldBack();
        if (warmedUp && y > threshold) {
            if (f.eventTimeMillis() >= cooldownUntil) {
                double score = (y - b.mean()) / sigma;
                out.collect(new Anomaly(f.nodeId(), f.type(), AnomalyKind.FRAME_LATENCY_SPIKE,
                        score >= 2 * k ? Severity.CRITICAL : Severity.WARNING, score, f.latencyMicros(),
                        Math.exp(b.mean()), sigma, Math.exp(threshold), f.eventTimeMillis(), f.eventTimeMillis() + 1,
                        String.format("node %s %s: frame %s#%d%s took %d us; typical %.0f us (geometric mean), "
                                        + "σ(ln) %.2f, threshold %.0f us; %d more spike(s) held back before it",
                                f.nodeId(), f.type(), f.connectionId(), f.seq(),
                                f.op() == null ? "" : " op " + f.op(), f.latencyMicros(), Math.exp(b.mean()), sigma,
                                Math.exp(threshold), heldBack)));
                cooldownUntil = f.eventTimeMillis() + settings.frameCooldownMillis();
                heldBack = 0;
            } else {
                heldBack++;
            }
        }
        long cleanupAt = roundUp(f.eventTimeMillis() + settings.keyIdleMillis());
        if (cleanupAt > s.cleanupAtMillis()) { // out-of-order frames never pull the timer back
            if (s.cleanupAtMillis() != Long.MIN_VALUE) {
                ctx.timerService().deleteEventTimeTimer(s.cleanupAtMillis());
            }
            ctx.timerService().registerEventTimeTimer(cleanupAt);
        } else {
            cleanupAt = s.cleanupAtMillis();
        }
        state.update(new FrameBaselineState(b.learn(y, settings.frameEwmaAlpha(), warmedUp, k, sigma), cooldownUntil,
                heldBack, cleanupAt));
    }

    private static long roundUp(long millis) {
        return (millis / CLEANUP_GRANULARITY_MILLIS + 1) * CLEANUP_GRANULARITY_MILLIS;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Anomaly> out) throws Exception {
        FrameBaselineState s = state.value();
        if (s != null && s.cleanupAtMillis() == timestamp) {
            state.clear();
        }
    }
}
