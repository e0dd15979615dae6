package qp.job.training;

import java.util.Map;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;
import qp.protocol.experiments.Arm;
import qp.protocol.params.TunableParameter;
import qp.protocol.params.TunableParams;

/**
 * One row of the latency model's training data: an IN frame that got a reply, joined with its node's latest
 * per-second sample (at or before the frame). A record of primitives, so Flink stores it field by field (no Kryo).
 * The parameter values are the ones the frame ran with: the sample's, except that a frame in the treatment arm of the
 * experiment its sample names ran with that parameter at the treatment value. So the rows of an experiment vary the
 * parameter at random (by session, or by switchback block), which is what lets a model learn what it does.
 *
 * @param messageType         the frame's message type ({@code COMMAND}, {@code DATA} ...), the categorical feature
 * @param payloadSize         raw payload bytes (after decompression)
 * @param wireBytes           bytes on the wire (for the measured compression ratio)
 * @param compressed          whether it came compressed
 * @param throughput          the node's frames in per second
 * @param cpu                 the gateway process's CPU load 0..1 (-1 unknown)
 * @param memory              heap in use, bytes
 * @param connections         open connections on the node
 * @param bufferSize          the node's buffer_size in force, bytes
 * @param heartbeatInterval   heartbeat_interval in force, ms
 * @param compressionThreshold compression_threshold in force, bytes (0 = off)
 * @param maxConnections      max_connections in force
 * @param maxFrameBytes       max_frame_bytes in force
 * @param paramVersion        the node's parameter version of the sample
 * @param latencyMicros       the label: receive to reply written
 * @param eventTimeMillis     the frame's event time
 */
public record TrainingRow(
        String messageType,
        long payloadSize,
        long wireBytes,
        boolean compressed,
        double throughput,
        double cpu,
        long memory,
        int connections,
        long bufferSize,
        long heartbeatInterval,
        long compressionThreshold,
        long maxConnections,
        long maxFrameBytes,
        long paramVersion,
        long latencyMicros,
        long eventTimeMillis) {

    /** Frames that can be rows: received frames that got a reply. */
    public static boolean usable(FrameEvent f) {
        return f.direction() == qp.protocol.events.Direction.IN && f.latencyMicros() > 0;
    }

    /**
     * Frames whose bytes the compression threshold governs: sent by the node, with a payload of at least the least
     * threshold PROTOCOL.md allows (smaller ones are never compressed). Their rows have no latency.
     */
    public static boolean outbound(FrameEvent f) {
        return f.direction() == qp.protocol.events.Direction.OUT
                && f.rawBytes() >= TunableParameter.COMPRESSION_THRESHOLD.min();
    }

    public static TrainingRow of(FrameEvent f, NodeMetrics m) {
        TunableParams p = paramsOf(f, m);
        return new TrainingRow(f.type(), f.rawBytes(), f.wireBytes(), f.compressed(), m.framesInPerSec(),
                m.processCpuLoad(), m.heapUsedBytes(), m.connections(), p.bufferSizeBytes(), p.heartbeatIntervalMs(),
                p.compressionThresholdBytes(), p.maxConnections(), p.maxFrameBytes(), m.paramVersion(),
                f.latencyMicros(), f.eventTimeMillis());
    }

    /**
     * The parameter values a frame ran with. A sample without the experiment's parameter and treatment value (from a
     * gateway before they were added), or naming another experiment than the frame's, gives its own params.
     */
    static TunableParams paramsOf(FrameEvent f, NodeMetrics m) {
        TunableParams p = m.params() != null ? m.params() : TunableParams.defaults();
        boolean inTreatment = Arm.TREATMENT.wire().equals(f.arm());
        boolean sameExperiment = f.experimentId() != null && f.experimentId().equals(m.experimentId());
        TunableParameter parameter = TunableParameter.byWireName(m.experimentParameter());
        if (!inTreatment || !sameExperiment || parameter == null || m.treatmentValue() == null) {
            return p;
        }
        return p.with(Map.of(parameter, m.treatmentValue()));
    }

    public TrainingRow withConnections(int c) {
        return new TrainingRow(messageType, payloadSize, wireBytes, compressed, throughput, cpu, memory, c, bufferSize,
                heartbeatInterval, compressionThreshold, maxConnections, maxFrameBytes, paramVersion, latencyMicros,
                eventTimeMillis);
    }
}
