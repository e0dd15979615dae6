package qp.job.anomaly;

import qp.job.analytics.AnalyticsSettings;
import qp.protocol.analytics.AnomalyKind;
import qp.protocol.analytics.WindowStats;

/**
 * ERROR_BURST: a node's window error rate above mean + kσ of its recent windows, and at least
 * {@code minErrorRate} and {@code minErrorCount}. σ is at least the binomial noise sqrt(p(1-p)/n) of the window.
 */
public final class ErrorBurstDetector extends WindowSigmaDetector<String> {
    private static final double MIN_SIGMA = 0.001;

    public ErrorBurstDetector(AnalyticsSettings.Detectors settings) {
        super(settings);
    }

    @Override
    protected AnomalyKind kind() {
        return AnomalyKind.ERROR_BURST;
    }

    @Override
    protected boolean judgeable(WindowStats w) {
        return w.isAllTypes() && w.count() > 0;
    }

    @Override
    protected double value(WindowStats w) {
        return w.errorRate();
    }

    @Override
    protected double sigmaFloor(WindowStats w, EwmaBaseline b) {
        double p = Math.min(1, Math.max(0, b.mean()));
        double binomial = Math.sqrt(p * (1 - p) / Math.max(1, w.count()));
        return Math.max(MIN_SIGMA, Math.max(binomial, settings.minRelativeSigma() * p));
    }

    @Override
    protected boolean materiallyBad(WindowStats w) {
        return w.errorRate() >= settings.minErrorRate() && w.errorCount() >= settings.minErrorCount();
    }

    @Override
    protected String describe(WindowStats w, double value, double mean, double sigma, double threshold) {
        return String.format("node %s: %d of %d frames failed (%.1f%%), baseline %.2f%% ± %.2f, threshold %.2f%%",
                w.nodeId(), w.errorCount(), w.count(), 100 * value, 100 * mean, 100 * sigma, 100 * threshold);
    }
}
