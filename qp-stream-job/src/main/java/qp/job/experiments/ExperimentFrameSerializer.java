package qp.job.experiments;

import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;
import qp.job.io.RepeatedStringValues;
import qp.job.io.ImmutableRecordSerializer;
import qp.job.io.SerializerTypeInfo;
import qp.protocol.events.Direction;

/**
 * Writes an {@link ExperimentFrame} field by field. It only crosses the keyed edge to the experiment windows, whose
 * state is the {@link ExperimentAccumulator}.
 */
public final class ExperimentFrameSerializer extends ImmutableRecordSerializer<ExperimentFrame> {
    private static final long serialVersionUID = 1L;
    public static final ExperimentFrameSerializer INSTANCE = new ExperimentFrameSerializer();
    public static final TypeInformation<ExperimentFrame> TYPE =
            new SerializerTypeInfo<>(ExperimentFrame.class, INSTANCE, "ExperimentFrame(field by field)");
    private static final Direction[] DIRECTIONS = Direction.values();
    private static final int ERROR = 1;
    private static final int REFUSED = 2;

    private ExperimentFrameSerializer() {
    }

    @Override
    public void serialize(ExperimentFrame f, DataOutputView out) throws IOException {
        StringValue.writeString(f.nodeId(), out);
        StringValue.writeString(f.experimentId(), out);
        StringValue.writeString(f.arm(), out);
        out.writeInt(f.bucket());
        StringValue.writeString(f.type(), out);
        out.writeByte(f.direction().ordinal());
        out.writeInt(f.wireBytes());
        out.writeInt(f.rawBytes());
        out.writeLong(f.latencyMicros());
        out.writeByte((f.error() ? ERROR : 0) | (f.refused() ? REFUSED : 0));
        out.writeLong(f.unit());
    }

    @Override
    public ExperimentFrame deserialize(DataInputView in) throws IOException {
        String nodeId = RepeatedStringValues.read(in);
        String experimentId = RepeatedStringValues.read(in);
        String arm = RepeatedStringValues.read(in);
        int bucket = in.readInt();
        String type = RepeatedStringValues.read(in);
        Direction direction = DIRECTIONS[in.readByte()];
        int wireBytes = in.readInt();
        int rawBytes = in.readInt();
        long latencyMicros = in.readLong();
        int flags = in.readByte();
        return new ExperimentFrame(nodeId, experimentId, arm, bucket, type, direction, wireBytes, rawBytes,
                latencyMicros, (flags & ERROR) != 0, (flags & REFUSED) != 0, in.readLong());
    }

    @Override
    public TypeSerializerSnapshot<ExperimentFrame> snapshotConfiguration() {
        return new Snapshot();
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ExperimentFrame> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
