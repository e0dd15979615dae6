package qp.job.rules;

import java.util.List;
import java.util.Optional;
import qp.job.analytics.AnalyticsSettings;
import qp.protocol.analytics.WindowStats;
import qp.protocol.params.TunableParameter;
import qp.protocol.params.TunableParams;

/**
 * The rule set "rules-v1". Expected improvements are the rules' own stated estimates, not measurements: the agent
 * measures the real effect after applying a change.
 */
public final class DefaultRules {
    public static final String VERSION = "rules-v1";

    private DefaultRules() {
    }

    public static List<TuningRule> all() {
        return List.of(new CompressLargePayloads(), new BatchSmallPayloads(), new MoreConnectionsForLatency(),
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

    /** High latency while connections press against max_connections: allow 50% more (clients stop queueing). */
    static final class MoreConnectionsForLatency implements TuningRule {
        @Override
        public String name() {
            return "more-connections-for-latency";
        }

        @Override
        public TunableParameter parameter() {
            return TunableParameter.MAX_CONNECTIONS;
        }

        @Override
        public Optional<Proposal> evaluate(WindowStats w, NodeView node, AnalyticsSettings.Rules s) {
            long current = node.params().maxConnections();
            boolean slow = w.latencyP95Micros() >= s.highLatencyP95Micros();
            boolean nearLimit = node.connections() >= s.connectionsNearLimitShare() * current;
            long proposed = TuningRule.clamp(parameter(), Math.max(current + 1, current * 3 / 2));
            if (!slow || !nearLimit || proposed == current) {
                return Optional.empty();
            }
            return Optional.of(new Proposal(proposed, 0.2, "latency_p95", String.format(
                    "p95 latency %.0f us >= %.0f us with %d of max_connections %d open; raise to %d "
                            + "(or pool connections on the clients); estimate: 20%% lower p95",
                    w.latencyP95Micros(), s.highLatencyP95Micros(), node.connections(), current, proposed)));
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
