package qp.job.anomaly;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
 * TYPE_MIX_SHIFT: a node's window type mix far from its baseline mix. Distance is total variation,
 * TV = ½ Σ|p_t − q_t| (0 = same mix, 1 = disjoint). Anomalous after warm-up when TV ≥ max(typeMixThreshold,
 * mean_TV + kσ_TV); calm below (exitSigma/k) of that threshold. The baseline mix follows the windows by EWMA, so a
 * lasting new mix becomes the baseline and closes the incident.
 */
public final class TypeMixShiftDetector extends KeyedProcessFunction<String, WindowStats, Anomaly> {
    private final AnalyticsSettings.Detectors settings;
    private transient ValueState<TypeMixState> state;

    public TypeMixShiftDetector(AnalyticsSettings.Detectors settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext ctx) {
        state = getRuntimeContext().getState(
                new ValueStateDescriptor<>("type-mix", TypeInformation.of(TypeMixState.class)));
    }

    static Map<String, Double> shares(Map<String, Long> counts) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Double> shares = new TreeMap<>();
        counts.forEach((t, c) -> shares.put(t, total == 0 ? 0 : (double) c / total));
        return shares;
    }

    static double totalVariation(Map<String, Double> p, Map<String, Double> q) {
        Set<String> types = new HashSet<>(p.keySet());
        types.addAll(q.keySet());
        double sum = 0;
        for (String t : types) {
            sum += Math.abs(p.getOrDefault(t, 0.0) - q.getOrDefault(t, 0.0));
        }
        return sum / 2;
    }

    @Override
    public void processElement(WindowStats w, Context ctx, Collector<Anomaly> out) throws Exception {
        if (!w.isAllTypes() || w.view() != WindowView.TUMBLING || w.count() < settings.minMixFrames()) {
            return;
        }
        TypeMixState s = state.value();
        if (s != null && w.windowEndMillis() <= s.lastWindowEnd()) {
            return;
        }
        Map<String, Double> p = shares(w.typeMix());
        Map<String, Double> baselineMix = s == null ? p : s.mix();
        EwmaBaseline d = s == null ? EwmaBaseline.empty() : s.distance();
        IncidentState incident = s == null ? IncidentState.CLOSED : s.incident();
        long mixWindows = s == null ? 0 : d.n() + 1; // the first window only seeds the mix

        double k = settings.sigmaThreshold();
        double tv = totalVariation(p, baselineMix);
        double sigma = d.sigma(Math.max(0.01, settings.minRelativeSigma() * d.mean()));
        double threshold = Math.max(settings.typeMixThreshold(), d.mean() + k * sigma);
        boolean warmedUp = mixWindows > settings.warmupWindows();
        boolean anomalous = warmedUp && tv >= threshold;
        boolean calm = tv < threshold * settings.exitSigma() / k;
        if (incident.raises(anomalous)) {
            double score = tv / threshold;
            out.collect(new Anomaly(w.nodeId(), WindowStats.ALL_TYPES, AnomalyKind.TYPE_MIX_SHIFT,
                    score >= 2 ? Severity.CRITICAL : Severity.WARNING, score, tv, d.mean(), sigma, threshold,
                    w.windowStartMillis(), w.windowEndMillis(), String.format(
                            "node %s: type mix %s is %.2f (total variation) from baseline %s, threshold %.2f",
                            w.nodeId(), rounded(p), tv, rounded(baselineMix), threshold)));
        }
        EwmaBaseline nextD = s == null ? d : d.learn(tv, settings.ewmaAlpha(), warmedUp, k, sigma);
        long cleanupAt = w.windowEndMillis() + settings.keyIdleMillis();
        if (s != null && s.cleanupAtMillis() != cleanupAt) {
            ctx.timerService().deleteEventTimeTimer(s.cleanupAtMillis());
        }
        ctx.timerService().registerEventTimeTimer(cleanupAt);
        // like EwmaBaseline, the early windows weigh 1/n so the baseline mix is their plain average
        double mixAlpha = s == null ? 1 : Math.max(settings.ewmaAlpha(), 1.0 / (mixWindows + 1));
        state.update(new TypeMixState(blend(baselineMix, p, mixAlpha), nextD,
                incident.next(anomalous, calm, settings.calmWindows()), w.windowEndMillis(), cleanupAt));
    }

    /** (1−α)·q + α·p, per type; types that faded below 0.1% are dropped so the map stays small. */
    static Map<String, Double> blend(Map<String, Double> q, Map<String, Double> p, double alpha) {
        Set<String> types = new HashSet<>(q.keySet());
        types.addAll(p.keySet());
        Map<String, Double> next = new HashMap<>();
        for (String t : types) {
            double v = (1 - alpha) * q.getOrDefault(t, 0.0) + alpha * p.getOrDefault(t, 0.0);
            if (v >= 0.001) {
                next.put(t, v);
            }
        }
        return next;
    }

    private static String rounded(Map<String, Double> mix) {
        StringBuilder b = new StringBuilder("{");
        new TreeMap<>(mix).forEach((t, v) -> b.append(b.length() > 1 ? ", " : "").append(t).append('=')
                .append(Math.round(v * 100)).append('%'));
        return b.append('}').toString();
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Anomaly> out) throws Exception {
        TypeMixState s = state.value();
        if (s != null && s.cleanupAtMillis() == timestamp) {
            state.clear();
        }
    }
}
