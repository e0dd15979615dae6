package qp.job.rules;

import java.util.List;
import java.util.Optional;
import qp.job.analytics.AnalyticsSettings;
import qp.protocol.analytics.WindowStats;
import qp.protocol.params.TunableParameter;
import qp.protocol.params.TunableParams;

/**
 * The rule set "rules-v2" (v2: max_connections as a concurrency limiter against the SLO). Expected improvements are the rules' own stated estimates, not measurements: the agent
 * measures the real effect after applying a change.
 */
public final class DefaultRules {
    public static final String VERSION = "rules-v2";

    private DefaultRules() {
    }

    public static List<TuningRule> all() {
        return List.of(new CompressLargePayloads(), new BatchSmallPayloads(), new ConcurrencyLimit(),
                new RaiseFrameLimit(), new LongerHeartbeat());
    }

    /** Large payloads and compression off (or above them): compress from a quarter of the p95 payload, at least 256 B. */
    static final class CompressLargePayloads implements TuningRule {
        @Override
        public String name() {
            return "compress-large-payloads";
        }

        @Override
        public TunableParameter parameter() {
            return TunableParameter.COMPRESSION_THRESHOLD;
        }

        @Override
        public Optional<Proposal> evaluate(WindowStats w, NodeView node, AnalyticsSettings.Rules s) {
            long current = node.params().compressionThresholdBytes();
            boolean largePayloads = w.payloadP95Bytes() >= s.largePayloadBytes();
            boolean compressionMissesThem = current == TunableParams.OFF || current > w.payloadP95Bytes();
            if (!largePayloads || !compressionMissesThem) {
                return Optional.empty();
            }
            long proposed = TuningRule.clamp(parameter(), Long.highestOneBit(Math.max(1, (long) w.payloadP95Bytes() / 4)));
            return Optional.of(new Proposal(proposed, 0.3, "bytes", String.format(
                    "p95 payload %.0f B >= %d B with compression_threshold %s; estimate: zlib saves about 30%% of bytes "
                            + "of typical JSON/text payloads above %d B (for sessions that ask for compression)",
                    w.payloadP95Bytes(), s.largePayloadBytes(), current == TunableParams.OFF ? "off" : current + " B",
                    proposed)));
        }
    }

    /** Many small frames: a bigger buffer_size batches outgoing STREAM data into fewer frames. */
    static final class BatchSmallPayloads implements TuningRule {
        @Override
        public String name() {
            return "batch-small-payloads";
        }

        @Override
        public TunableParameter parameter() {
            return TunableParameter.BUFFER_SIZE;
        }

        @Override
        public Optional<Proposal> evaluate(WindowStats w, NodeView node, AnalyticsSettings.Rules s) {
            long current = node.params().bufferSizeBytes();
            boolean smallPayloads = w.payloadMeanBytes() < s.smallPayloadBytes();
            boolean busy = w.throughputPerSec() >= s.batchingMinFramesPerSec();
            long proposed = TuningRule.clamp(parameter(), current * 2);
            if (!smallPayloads || !busy || proposed == current) {
                return Optional.empty();
            }
            return Optional.of(new Proposal(proposed, 0.2, "frames", String.format(
                    "mean payload %.0f B < %d B at %.0f frames/s >= %.0f; doubling buffer_size %d -> %d B batches "
                            + "outgoing stream data (estimate: 20%% fewer frames)",
                    w.payloadMeanBytes(), s.smallPayloadBytes(), w.throughputPerSec(), s.batchingMinFramesPerSec(),
                    current, proposed)));
        }
    }

    /**
     * max_connections as a concurrency limiter in front of work of limited capacity (an upstream behind
     * {@code routes.<op>}): the largest limit whose p99 of admitted work stays within {@code --slo-p99}.
     *
     * <p>When the work queues behind a saturated capacity, its latency grows in proportion to the concurrency
     * (Little's law), so the concurrency that brings p99 to the target ({@link #HEADROOM} of the SLO) is the concurrency
     * in force × target / p99. The concurrency in force is min(limit, open connections): a limit above the open
     * connections binds nothing. Over the SLO the rule lowers the limit to that, at most ÷{@link #MAX_LOWER} (the
     * agent's default max_step); under the target while the limit binds (open connections at
     * {@code connectionsNearLimitShare} of it or more) it raises toward it, at most ×{@link #MAX_RAISE} (the trust
     * region of exploration). Netflix's Gradient2 limiter moves its limit by the ratio of a long-term to the recent
     * RTT, clamped to at most halving per update, and Envoy's adaptive concurrency by the ratio of the no-load RTT to
     * the recent one; both aim at little queueing. This aims at the operator's SLO instead: as much concurrency as
     * the SLO allows. The projection is a model of the queue, not a measurement: the agent proves each step by a
     * switchback experiment, and a lower limit whose latency does not follow (latency that is not queueing) is not kept.
     * Like Gradient2's {@code minLimit} (20 by default) the limit has a floor, {@code --min-connection-limit}: it is
     * never lowered below it, and not lowered at all when no more connections than that are in force (a few sessions
     * on a CPU-starved machine are slow without queueing behind each other; refusing some of them cuts nothing, and a
     * switchback that cannot tell its arms apart holds the node's one experiment slot for its full 10 minutes).
     */
    static final class ConcurrencyLimit implements TuningRule {
        static final double HEADROOM = 0.9;
        static final double MAX_LOWER = 4;
        static final double MAX_RAISE = 1.5;
        /** Fewer answered frames than this in a window: its p99 is too thin to act on. */
        static final long MIN_LATENCY_SAMPLES = 100;

        @Override
        public String name() {
            return "concurrency-limit";
        }

        @Override
        public TunableParameter parameter() {
            return TunableParameter.MAX_CONNECTIONS;
        }

        @Override
        public Optional<Proposal> evaluate(WindowStats w, NodeView node, AnalyticsSettings.Rules s) {
            long limit = node.params().maxConnections();
            long open = node.connections();
            double p99 = w.latencyP99Micros();
            if (w.latencySamples() < MIN_LATENCY_SAMPLES || open <= 0 || p99 <= 0) {
                return Optional.empty();
            }
            double target = HEADROOM * s.sloP99Micros();
            long inForce = Math.min(limit, open);
            if (p99 > s.sloP99Micros()) {
                if (inForce <= s.minConnectionLimit()) {
                    return Optional.empty(); // so few sessions do not queue: their latency is not a limit's to cut
                }
                long proposed = TuningRule.clamp(parameter(), Math.max(s.minConnectionLimit(),
                        (long) Math.max(Math.ceil(inForce / MAX_LOWER), Math.floor(inForce * target / p99))));
                if (proposed >= limit) {
                    return Optional.empty();
                }
                return Optional.of(new Proposal(proposed, 1 - target / p99, "latency_p99", String.format(
                        "p99 %.0f us over the SLO %.0f us with %d connections in force (limit %d, %d open); "
                                + "queueing latency grows with concurrency: %d x %.0f / %.0f = %d brings p99 to %.0f us "
                                + "(at most /%.0f)", p99, s.sloP99Micros(), inForce, limit, open, inForce, target, p99,
                        proposed, target, MAX_LOWER)));
            }
            boolean binds = open >= s.connectionsNearLimitShare() * limit;
            if (!binds || p99 >= target) {
                return Optional.empty();
            }
            long proposed = TuningRule.clamp(parameter(),
                    (long) Math.min(Math.floor(limit * MAX_RAISE), Math.floor(limit * target / p99)));
            if (proposed <= limit) {
                return Optional.empty();
            }
            return Optional.of(new Proposal(proposed, 1 - (double) limit / proposed, "refusals", String.format(
                    "p99 %.0f us under the target %.0f us (%.0f%% of the SLO) while %d of max_connections %d are open; "
                            + "%d x %.0f / %.0f projects %d within it (at most x%.1f); estimate: %.0f%% more sessions "
                            + "admitted, so fewer refusals", p99, target, 100 * HEADROOM, open, limit, limit, target, p99,
                    (long) Math.floor(limit * target / p99), MAX_RAISE, 100.0 * (proposed - limit) / limit)));
        }
    }

    /** Payloads close to max_frame_bytes: double it before clients hit FRAME_TOO_LARGE. */
    static final class RaiseFrameLimit implements TuningRule {
        @Override
        public String name() {
            return "raise-frame-limit";
        }

        @Override
        public TunableParameter parameter() {
            return TunableParameter.MAX_FRAME_BYTES;
        }

        @Override
        public Optional<Proposal> evaluate(WindowStats w, NodeView node, AnalyticsSettings.Rules s) {
            long current = node.params().maxFrameBytes();
            boolean nearLimit = w.payloadMaxBytes() >= s.frameNearLimitShare() * current;
            long proposed = TuningRule.clamp(parameter(), current * 2);
            if (!nearLimit || proposed == current) {
                return Optional.empty();
            }
            return Optional.of(new Proposal(proposed, 0.5, "errors", String.format(
                    "largest payload %d B is %.0f%% of max_frame_bytes %d B (%d errors in the window); "
                            + "raise to %d B; estimate: half the FRAME_TOO_LARGE errors go away",
                    w.payloadMaxBytes(), 100.0 * w.payloadMaxBytes() / current, current, w.errorCount(), proposed)));
        }
    }

    /** Sessions closed for silence: a longer heartbeat_interval keeps idle-but-alive clients connected. */
    static final class LongerHeartbeat implements TuningRule {
        @Override
        public String name() {
            return "longer-heartbeat";
        }

        @Override
        public TunableParameter parameter() {
            return TunableParameter.HEARTBEAT_INTERVAL;
        }

        @Override
        public Optional<Proposal> evaluate(WindowStats w, NodeView node, AnalyticsSettings.Rules s) {
            long current = node.params().heartbeatIntervalMs();
            long proposed = TuningRule.clamp(parameter(), current * 3 / 2);
            if (node.heartbeatTimeouts() < s.heartbeatTimeoutsPerWindow() || proposed == current) {
                return Optional.empty();
            }
            return Optional.of(new Proposal(proposed, 0.5, "heartbeat_timeouts", String.format(
                    "%d heartbeat timeouts in the window >= %d; heartbeat_interval %d -> %d ms; "
                            + "estimate: half of them were idle clients that stay connected",
                    node.heartbeatTimeouts(), s.heartbeatTimeoutsPerWindow(), current, proposed)));
        }
    }
}
