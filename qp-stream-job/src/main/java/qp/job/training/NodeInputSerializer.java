package qp.job.training;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;
import qp.job.io.RepeatedStringValues;
import qp.job.io.RunStrings;
import qp.job.io.ImmutableRecordSerializer;
import qp.job.io.QpTypes;
import qp.job.io.SerializerTypeInfo;
import qp.protocol.events.NodeMetrics;

/**
 * Writes a {@link NodeInput} field by field: the run's distinct strings once ({@link RunStrings}: types, experiment
 * ids, arms), the number of frames, then each frame sample as its nine fields (the strings as their codes in that
 * table, the two flags as bits of one byte) (the generic POJO serializer took
 * about twice as long as the whole frame's own serializer, on the frames' reader thread), a node's sample with
 * Flink's POJO serializer of {@link NodeMetrics} (about one a second per node). It only crosses the keyed edge to the
 * latency model, whose state holds training rows and samples, never these.
 */
public final class NodeInputSerializer extends ImmutableRecordSerializer<NodeInput> {
    private static final long serialVersionUID = 1L;
    public static final NodeInputSerializer INSTANCE = new NodeInputSerializer();
    public static final TypeInformation<NodeInput> TYPE =
            new SerializerTypeInfo<>(NodeInput.class, INSTANCE, "NodeInput(frame sample field by field, or sample)");
    private static final byte FRAMES = 2; // 0 was one frame per record, before runs
    private static final byte METRICS = 1;
    private static final int COMPRESSED = 1;
    private static final int OUTBOUND = 2;

    private final TypeSerializer<NodeMetrics> metrics;

    private NodeInputSerializer() {
        this(metricsSerializer());
    }

    private NodeInputSerializer(TypeSerializer<NodeMetrics> metrics) {
        this.metrics = metrics;
    }

    private static TypeSerializer<NodeMetrics> metricsSerializer() {
        SerializerConfigImpl noKryo = new SerializerConfigImpl();
        noKryo.setGenericTypes(false);
        return QpTypes.NODE_METRICS.createSerializer(noKryo);
    }

    /** The POJO serializer of the samples may keep state (Flink duplicates serializers per thread). */
    @Override
    public TypeSerializer<NodeInput> duplicate() {
        TypeSerializer<NodeMetrics> d = metrics.duplicate();
        return d == metrics ? this : new NodeInputSerializer(d);
    }

    @Override
    public void serialize(NodeInput in, DataOutputView out) throws IOException {
        StringValue.writeString(in.nodeId(), out);
        if (in.frames() == null) {
            out.writeByte(METRICS);
            metrics.serialize(in.metrics(), out);
            return;
        }
        out.writeByte(FRAMES);
        List<NodeInput.FrameSample> frames = in.frames();
        RunStrings strings = new RunStrings();
        short[] codes = new short[3 * frames.size()];
        for (int i = 0; i < frames.size(); i++) {
            NodeInput.FrameSample f = frames.get(i);
            codes[3 * i] = strings.code(f.type());
            codes[3 * i + 1] = strings.code(f.experimentId());
            codes[3 * i + 2] = strings.code(f.arm());
        }
        strings.writeTable(out);
        out.writeInt(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            NodeInput.FrameSample f = frames.get(i);
            out.writeShort(codes[3 * i]);
            out.writeShort(codes[3 * i + 1]);
            out.writeShort(codes[3 * i + 2]);
            out.writeInt(f.rawBytes());
            out.writeInt(f.wireBytes());
            out.writeByte((f.compressed() ? COMPRESSED : 0) | (f.outbound() ? OUTBOUND : 0));
            out.writeLong(f.latencyMicros());
            out.writeLong(f.eventTimeMillis());
        }
    }

    @Override
    public NodeInput deserialize(DataInputView in) throws IOException {
        String nodeId = RepeatedStringValues.read(in);
        byte kind = in.readByte();
        if (kind == METRICS) {
            return NodeInput.of(metrics.deserialize(in));
        }
        if (kind != FRAMES) {
            throw new IOException("unknown NodeInput kind " + kind);
        }
        String[] strings = RunStrings.readTable(in);
        int n = in.readInt();
        if (n < 1) {
            throw new IOException("a run of " + n + " frames");
        }
        List<NodeInput.FrameSample> frames = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String type = RunStrings.lookUp(strings, in.readShort());
            String experimentId = RunStrings.lookUp(strings, in.readShort());
            String arm = RunStrings.lookUp(strings, in.readShort());
            int rawBytes = in.readInt();
            int wireBytes = in.readInt();
            int flags = in.readByte();
            frames.add(new NodeInput.FrameSample(type, rawBytes, wireBytes, (flags & COMPRESSED) != 0,
                    in.readLong(), in.readLong(), experimentId, arm, (flags & OUTBOUND) != 0));
        }
        return new NodeInput(nodeId, frames, null);
    }

    @Override
    public TypeSerializerSnapshot<NodeInput> snapshotConfiguration() {
        return new Snapshot();
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<NodeInput> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
