package qp.job.analytics;

import java.io.Serializable;

/**
 * Everything the analytics operators can be tuned with. {@link #defaults()} is what the job runs with unless an
 * option says otherwise; the nested records keep windows, detectors, bigrams and rules apart.
 *
 * @param windows   window sizes and lateness
 * @param detectors the 3σ detectors and their hysteresis
 * @param bigrams   message-type sequences
 * @param trends    throughput and latency trends
 * @param rules     the rule-based recommendations
 */
public record AnalyticsSettings(
        Windows windows,
        Detectors detectors,
        Bigrams bigrams,
        Trends trends,
        Rules rules) implements Serializable {

    public static AnalyticsSettings defaults() {
        return new AnalyticsSettings(Windows.defaults(), Detectors.defaults(), Bigrams.defaults(), Trends.defaults(),
                Rules.defaults());
    }

    public AnalyticsSettings withWindows(Windows w) {
        return new AnalyticsSettings(w, detectors, bigrams, trends, rules);
    }

    public AnalyticsSettings withDetectors(Detectors d) {
        return new AnalyticsSettings(windows, d, bigrams, trends, rules);
    }

    public AnalyticsSettings withBigrams(Bigrams b) {
        return new AnalyticsSettings(windows, detectors, b, trends, rules);
    }

    public AnalyticsSettings withTrends(Trends t) {
        return new AnalyticsSettings(windows, detectors, bigrams, t, rules);
    }

    public AnalyticsSettings withRules(Rules r) {
        return new AnalyticsSettings(windows, detectors, bigrams, trends, r);
    }

    /**
     * @param sizeMillis            tumbling window length (default 10 s)
     * @param slidingSizeMillis     length of the optional sliding per-node view, 0 = no sliding view (default)
     * @param slidingStepMillis     its step (default 10 s)
     * @param allowedLatenessMillis how long after the watermark a window still takes late frames and fires again
     *                              (default 0); frames later than that go to the late-frames output
     * @param sketchRelativeAccuracy DDSketch relative accuracy (default 0.5%, so p99 is within 1% with margin)
     */
    public record Windows(long sizeMillis, long slidingSizeMillis, long slidingStepMillis, long allowedLatenessMillis,
            double sketchRelativeAccuracy) implements Serializable {
        public static Windows defaults() {
            return new Windows(10_000, 0, 10_000, 0, 0.005);
        }

        public Windows withSizeMillis(long v) {
            return new Windows(v, slidingSizeMillis, slidingStepMillis, allowedLatenessMillis, sketchRelativeAccuracy);
        }

        public Windows withSliding(long size, long step) {
            return new Windows(sizeMillis, size, step, allowedLatenessMillis, sketchRelativeAccuracy);
        }

        public Windows withAllowedLatenessMillis(long v) {
            return new Windows(sizeMillis, slidingSizeMillis, slidingStepMillis, v, sketchRelativeAccuracy);
        }
    }

    /**
     * @param sigmaThreshold     k of "above mean + kσ" (default 3.0); CRITICAL from 2k
     * @param exitSigma          an incident ends after {@code calmWindows} windows below mean + exitSigma·σ (default 2.0)
     * @param calmWindows        hysteresis: calm windows that end an incident (default 3)
     * @param warmupWindows      windows a key must have seen before its first verdict (default 5)
     * @param ewmaAlpha          weight of the newest window in the EWMA mean and variance (default 0.1, about 20 windows)
     * @param minRelativeSigma   σ is never taken below this share of the mean, so a flat history does not make
     *                           noise an anomaly (default 0.1)
     * @param minLatencySamples  a window needs this many latency samples to be judged (default 20)
     * @param frameWarmupFrames  frames a node/type must have seen before a single frame is judged (default 200)
     * @param frameEwmaAlpha     EWMA weight of one frame in the typical ln(latency) that a frame spike reports
     *                           (default 0.01)
     * @param frameBlockMillis   the single-frame detector judges each frame against the slowest frame of each of
     *                           its node/type's recent blocks of this much event time (the job: --window-size)
     * @param minErrorRate       an error burst needs at least this error rate (default 0.05)
     * @param minErrorCount      and at least this many errors in the window (default 5)
     * @param typeMixThreshold   total-variation distance from the baseline mix that counts as a shift (default 0.25)
     * @param minMixFrames       a window needs this many frames for its type mix to be judged (default 50)
     * @param keyIdleMillis      a detector's state for a node/type silent this long (event time) is dropped (default 10 min)
     * @param frameSigmaThreshold k for single frames: a frame is a spike above median + kσ of ln(latency) of its
     *                           node/type's recent block maxima (default 5.0)
     */
    public record Detectors(double sigmaThreshold, double exitSigma, int calmWindows, int warmupWindows,
            double ewmaAlpha, double minRelativeSigma, long minLatencySamples, long frameWarmupFrames,
            double frameEwmaAlpha, long frameBlockMillis, double minErrorRate, long minErrorCount,
            double typeMixThreshold, long minMixFrames, long keyIdleMillis, double frameSigmaThreshold)
            implements Serializable {
        public static final double DEFAULT_FRAME_SIGMA_THRESHOLD = 5.0;

        /** All but the single-frame threshold, which keeps its default. */
        public Detectors(double sigmaThreshold, double exitSigma, int calmWindows, int warmupWindows,
                double ewmaAlpha, double minRelativeSigma, long minLatencySamples, long frameWarmupFrames,
                double frameEwmaAlpha, long frameBlockMillis, double minErrorRate, long minErrorCount,
                double typeMixThreshold, long minMixFrames, long keyIdleMillis) {
            this(sigmaThreshold, exitSigma, calmWindows, warmupWindows, ewmaAlpha, minRelativeSigma, minLatencySamples,
                    frameWarmupFrames, frameEwmaAlpha, frameBlockMillis, minErrorRate, minErrorCount,
                    typeMixThreshold, minMixFrames, keyIdleMillis, DEFAULT_FRAME_SIGMA_THRESHOLD);
        }

        public static Detectors defaults() {
            return new Detectors(3.0, 2.0, 3, 5, 0.1, 0.1, 20, 200, 0.01, 10_000, 0.05, 5, 0.25, 50, 600_000,
                    DEFAULT_FRAME_SIGMA_THRESHOLD);
        }

        public Detectors withSigmaThreshold(double v) {
            return new Detectors(v, exitSigma, calmWindows, warmupWindows, ewmaAlpha, minRelativeSigma,
                    minLatencySamples, frameWarmupFrames, frameEwmaAlpha, frameBlockMillis, minErrorRate,
                    minErrorCount, typeMixThreshold, minMixFrames, keyIdleMillis, frameSigmaThreshold);
        }

        public Detectors withWarmupWindows(int v) {
            return new Detectors(sigmaThreshold, exitSigma, calmWindows, v, ewmaAlpha, minRelativeSigma,
                    minLatencySamples, frameWarmupFrames, frameEwmaAlpha, frameBlockMillis, minErrorRate,
                    minErrorCount, typeMixThreshold, minMixFrames, keyIdleMillis, frameSigmaThreshold);
        }

        public Detectors withKeyIdleMillis(long v) {
            return new Detectors(sigmaThreshold, exitSigma, calmWindows, warmupWindows, ewmaAlpha, minRelativeSigma,
                    minLatencySamples, frameWarmupFrames, frameEwmaAlpha, frameBlockMillis, minErrorRate,
                    minErrorCount, typeMixThreshold, minMixFrames, v, frameSigmaThreshold);
        }

        public Detectors withFrameSigmaThreshold(double v) {
            return new Detectors(sigmaThreshold, exitSigma, calmWindows, warmupWindows, ewmaAlpha, minRelativeSigma,
                    minLatencySamples, frameWarmupFrames, frameEwmaAlpha, frameBlockMillis, minErrorRate,
                    minErrorCount, typeMixThreshold, minMixFrames, keyIdleMillis, v);
        }
    }

    /**
     * @param topN                  sequences listed per window (default 10)
     * @param connectionIdleMillis  a connection silent this long (event time) has its last-type state dropped (default 2 min)
     */
    public record Bigrams(int topN, long connectionIdleMillis) implements Serializable {
        public static Bigrams defaults() {
            return new Bigrams(10, 120_000);
        }
    }

    /**
     * @param windows           tumbling windows the slopes are fitted on (default 12, i.e. 2 min at 10 s)
     * @param flatRelativeSlope a slope below this share of the mean per window is FLAT (default 0.02)
     */
    public record Trends(int windows, double flatRelativeSlope) implements Serializable {
        public static Trends defaults() {
            return new Trends(12, 0.02);
        }
    }

    /**
     * @param smallPayloadBytes          mean payload below this suggests batching (default 256 B)
     * @param batchingMinFramesPerSec    ... when the node also handles at least this many frames/s (default 200)
     * @param largePayloadBytes          p95 payload at or above this suggests compression (default 4 KiB)
     * @param sloP99Micros               {@code --slo-p99}: the p99 latency of admitted work a max_connections must keep
     *                                   (default 200 ms)
     * @param connectionsNearLimitShare  open connections at or above this share of max_connections: the limit binds
     *                                   (default 0.8)
     * @param frameNearLimitShare        largest payload at or above this share of max_frame_bytes is near the limit (default 0.8)
     * @param heartbeatTimeoutsPerWindow heartbeat timeouts per window that suggest a longer interval (default 3)
     * @param sustainWindows             a rule must hold in this many consecutive windows before it speaks (default 3)
     * @param cooldownMillis             the same node/parameter is not recommended again within this time (default 5 min)
     * @param keyIdleMillis              a node silent this long (event time) has its rule state dropped (default 10 min)
     * @param minConnectionLimit         {@code --min-connection-limit}: max_connections is never lowered below this,
     *                                   nor lowered at all with no more connections in force (default 20)
     */
    public record Rules(long smallPayloadBytes, double batchingMinFramesPerSec, long largePayloadBytes,
            double sloP99Micros, double connectionsNearLimitShare, double frameNearLimitShare,
            long heartbeatTimeoutsPerWindow, int sustainWindows, long cooldownMillis, long keyIdleMillis,
            long minConnectionLimit) implements Serializable {
        public static Rules defaults() {
            return new Rules(256, 200, 4096, 200_000, 0.8, 0.8, 3, 3, 300_000, 600_000, 20);
        }

        public Rules withSustainWindows(int v) {
            return new Rules(smallPayloadBytes, batchingMinFramesPerSec, largePayloadBytes, sloP99Micros,
                    connectionsNearLimitShare, frameNearLimitShare, heartbeatTimeoutsPerWindow, v, cooldownMillis,
                    keyIdleMillis, minConnectionLimit);
        }

        public Rules withSloP99Micros(double v) {
            return new Rules(smallPayloadBytes, batchingMinFramesPerSec, largePayloadBytes, v,
                    connectionsNearLimitShare, frameNearLimitShare, heartbeatTimeoutsPerWindow, sustainWindows,
                    cooldownMillis, keyIdleMillis, minConnectionLimit);
        }

        public Rules withMinConnectionLimit(long v) {
            return new Rules(smallPayloadBytes, batchingMinFramesPerSec, largePayloadBytes, sloP99Micros,
                    connectionsNearLimitShare, frameNearLimitShare, heartbeatTimeoutsPerWindow, sustainWindows,
                    cooldownMillis, keyIdleMillis, v);
        }
    }
}
