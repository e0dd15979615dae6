package qp.job.anomaly;

import org.apache.flink.api.java.tuple.Tuple2;
import qp.job.analytics.AnalyticsSettings;
import qp.protocol.analytics.AnomalyKind;
import qp.protocol.analytics.WindowStats;

/** LATENCY_SPIKE: a node/type window's p95 latency above mean + kσ of that node/type's recent windows. */
public final class LatencySpikeDetector extends WindowSigmaDetector<Tuple2<String, String>> {

    public LatencySpikeDetector(AnalyticsSettings.Detectors settings) {
        super(settings);
    }

    @Override
    protected AnomalyKind kind() {
        return AnomalyKind.LATENCY_SPIKE;
    }

    @Override
    protected boolean judgeable(WindowStats w) {
        return !w.isAllTypes() && w.latencySamples() >= settings.minLatencySamples();
    }

    @Override
    protected double value(WindowStats w) {
        return w.latencyP95Micros();
    }

    @Override
    protected double sigmaFloor(WindowStats w, EwmaBaseline b) {
        return Math.max(1.0, settings.minRelativeSigma() * Math.abs(b.mean()));
    }

    @Override
    protected String describe(WindowStats w, double value, double mean, double sigma, double threshold) {
        return String.format("node %s %s: p95 latency %.0f us over %d frames, baseline %.0f us ± %.0f, threshold %.0f us",
                w.nodeId(), w.type(), value, w.latencySamples(), mean, sigma, threshold);
    }
}
