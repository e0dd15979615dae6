package qp.job.config;

import qp.job.analytics.AnalyticsSettings;
import qp.job.analytics.AnalyticsSettings.Bigrams;
import qp.job.analytics.AnalyticsSettings.Detectors;
import qp.job.analytics.AnalyticsSettings.Rules;
import qp.job.analytics.AnalyticsSettings.Windows;
import qp.options.ObjectiveOptions;

/** Maps the job options onto the analytics operators' settings; what no option covers keeps its default. */
public final class AnalyticsOptions {
    private AnalyticsOptions() {
    }

    public static AnalyticsSettings settings(JobConfig c) {
        AnalyticsSettings d = AnalyticsSettings.defaults();
        Windows w = d.windows()
                .withSizeMillis(c.get(JobOptions.WINDOW_SIZE).toMillis())
                .withSliding(c.get(JobOptions.SLIDING_WINDOW_SIZE).toMillis(),
                        c.get(JobOptions.SLIDING_WINDOW_STEP).toMillis())
                .withAllowedLatenessMillis(c.get(JobOptions.ALLOWED_LATENESS).toMillis());
        Detectors x = d.detectors();
        Detectors detectors = new Detectors(c.get(JobOptions.SIGMA_THRESHOLD), x.exitSigma(),
                c.get(JobOptions.CALM_WINDOWS), c.get(JobOptions.WARMUP_WINDOWS), x.ewmaAlpha(), x.minRelativeSigma(),
                x.minLatencySamples(), x.frameWarmupFrames(), x.frameEwmaAlpha(), w.sizeMillis(), // blocks = windows
                c.get(JobOptions.MIN_ERROR_RATE), c.get(JobOptions.MIN_ERROR_COUNT),
                c.get(JobOptions.TYPE_MIX_THRESHOLD), x.minMixFrames(), x.keyIdleMillis(),
                c.get(JobOptions.FRAME_SIGMA_THRESHOLD));
        Bigrams bigrams = new Bigrams(c.get(JobOptions.BIGRAM_TOP_N), d.bigrams().connectionIdleMillis());
        Rules r = d.rules();
        Rules rules = new Rules(r.smallPayloadBytes(), r.batchingMinFramesPerSec(), r.largePayloadBytes(),
                c.get(ObjectiveOptions.SLO_P99).toNanos() / 1000.0, r.connectionsNearLimitShare(), r.frameNearLimitShare(),
                r.heartbeatTimeoutsPerWindow(), c.get(JobOptions.RULE_SUSTAIN_WINDOWS),
                c.get(JobOptions.RECOMMENDATION_COOLDOWN).toMillis(), r.keyIdleMillis(),
                c.get(JobOptions.MIN_CONNECTION_LIMIT));
        return d.withWindows(w).withDetectors(detectors).withBigrams(bigrams).withRules(rules);
    }
}
