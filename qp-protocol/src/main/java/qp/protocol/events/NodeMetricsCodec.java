package qp.protocol.events;

import qp.protocol.params.TunableParams;

/**
 * Writes a {@link NodeMetrics} sample in the binary event encoding and reads it back from binary or from the JSON
 * that gateways wrote before (told apart by {@link EventEncoding#formatOf}).
 *
 * <p>The binary value is Avro binary encoding of {@code NodeMetrics.avsc} (beside this class): its fields in this
 * order, nullable ones as the union {@code ["null", T]}.
 * <pre>
 *  since  field                   Avro type                default when the writer's minor is older
 *  1.0    encodingMajor           int (1)
 *  1.0    encodingMinor           int
 *  1.0    nodeId                  string
 *  1.0    timestampMillis         long
 *  1.0    framesInPerSec          double
 *  1.0    framesOutPerSec         double
 *  1.0    bytesInPerSec           double
 *  1.0    bytesOutPerSec          double
 *  1.0    processCpuLoad          double
 *  1.0    heapUsedBytes           long
 *  1.0    heapMaxBytes            long
 *  1.0    connections             int
 *  1.0    heartbeatTimeouts       long
 *  1.0    heartbeatTimeoutsTotal  long
 *  1.0    paramVersion            long
 *  1.0    params                  record TunableParams: bufferSizeBytes, heartbeatIntervalMs,
 *                                 compressionThresholdBytes, maxConnections, maxFrameBytes (long each); never changes
 *  1.0    instanceId              [null, string]
 *  1.0    advertisedAdminUrl      [null, string]
 *  1.1    experimentId            [null, string]           null
 *  1.1    arm                     [null, string]           null
 *  1.1    experimentParameter     [null, string]           null
 *  1.1    controlValue            [null, long]             null
 *  1.1    treatmentValue          [null, long]             null
 * </pre>
 * Evolution as in {@link EventEncoding}: fields are only appended at the end of the top-level record, never inside
 * {@code params} (a new tunable parameter is a new top-level field with its default).
 */
public final class NodeMetricsCodec {
    static final String RECORD = "NodeMetrics";
    private static final ThreadLocal<AvroBinaryWriter> WRITERS = ThreadLocal.withInitial(AvroBinaryWriter::new);

    private NodeMetricsCodec() {
    }

    /** The sample in binary encoding {@link EventEncoding#MAJOR}.{@link EventEncoding#MINOR}. */
    public static byte[] encode(NodeMetrics m) {
        AvroBinaryWriter out = EventEncoding.startBinary(WRITERS);
        writeFields(out, m);
        return out.toByteArray();
    }

    /** Reads a value in the binary encoding or in JSON; throws {@link EventDecodeException} with the reason. */
    public static NodeMetrics decode(byte[] value) {
        return EventEncoding.formatOf(value) == EventEncoding.Format.JSON
                ? EventEncoding.decodeJson(value, NodeMetrics.class, RECORD) : decodeBinary(value);
    }

    static void writeFields(AvroBinaryWriter out, NodeMetrics m) {
        out.writeString(m.nodeId(), "nodeId");
        out.writeLong(m.timestampMillis());
        out.writeDouble(m.framesInPerSec());
        out.writeDouble(m.framesOutPerSec());
        out.writeDouble(m.bytesInPerSec());
        out.writeDouble(m.bytesOutPerSec());
        out.writeDouble(m.processCpuLoad());
        out.writeLong(m.heapUsedBytes());
        out.writeLong(m.heapMaxBytes());
        out.writeInt(m.connections());
        out.writeLong(m.heartbeatTimeouts());
        out.writeLong(m.heartbeatTimeoutsTotal());
        out.writeLong(m.paramVersion());
        TunableParams p = m.params();
        if (p == null) {
            throw new IllegalArgumentException("params is null, but it is a not-null field of the binary event encoding");
        }
        out.writeLong(p.bufferSizeBytes());
        out.writeLong(p.heartbeatIntervalMs());
        out.writeLong(p.compressionThresholdBytes());
        out.writeLong(p.maxConnections());
        out.writeLong(p.maxFrameBytes());
        out.writeNullableString(m.instanceId());
        out.writeNullableString(m.advertisedAdminUrl());
        // 1.1
        out.writeNullableString(m.experimentId());
        out.writeNullableString(m.arm());
        out.writeNullableString(m.experimentParameter());
        out.writeNullableLong(m.controlValue());
        out.writeNullableLong(m.treatmentValue());
    }

    private static NodeMetrics decodeBinary(byte[] value) {
        AvroBinaryReader in = new AvroBinaryReader(value, RECORD);
        int minor = EventEncoding.readMinor(in, RECORD);
        String nodeId = in.readRepeatedString("nodeId");
        long timestampMillis = in.readLong("timestampMillis");
        double framesInPerSec = in.readDouble("framesInPerSec");
        double framesOutPerSec = in.readDouble("framesOutPerSec");
        double bytesInPerSec = in.readDouble("bytesInPerSec");
        double bytesOutPerSec = in.readDouble("bytesOutPerSec");
        double processCpuLoad = in.readDouble("processCpuLoad");
        long heapUsedBytes = in.readLong("heapUsedBytes");
        long heapMaxBytes = in.readLong("heapMaxBytes");
        int connections = in.readInt("connections");
        long heartbeatTimeouts = in.readLong("heartbeatTimeouts");
        long heartbeatTimeoutsTotal = in.readLong("heartbeatTimeoutsTotal");
        long paramVersion = in.readLong("paramVersion");
        TunableParams params = new TunableParams(in.readLong("params.bufferSizeBytes"),
                in.readLong("params.heartbeatIntervalMs"), in.readLong("params.compressionThresholdBytes"),
                in.readLong("params.maxConnections"), in.readLong("params.maxFrameBytes"));
        String instanceId = in.readNullableString("instanceId");
        String advertisedAdminUrl = in.readNullableString("advertisedAdminUrl");
        String experimentId = null;
        String arm = null;
        String experimentParameter = null;
        Long controlValue = null;
        Long treatmentValue = null;
        if (minor >= 1) {
            experimentId = in.readNullableString("experimentId");
            arm = in.readNullableString("arm");
            experimentParameter = in.readNullableString("experimentParameter");
            controlValue = in.readNullableLong("controlValue");
            treatmentValue = in.readNullableLong("treatmentValue");
        }
        EventEncoding.checkEnd(in, minor, RECORD);
        return new NodeMetrics(nodeId, timestampMillis, framesInPerSec, framesOutPerSec, bytesInPerSec, bytesOutPerSec,
                processCpuLoad, heapUsedBytes, heapMaxBytes, connections, heartbeatTimeouts, heartbeatTimeoutsTotal,
                paramVersion, params, instanceId, advertisedAdminUrl, experimentId, arm, experimentParameter,
                controlValue, treatmentValue);
    }
}
