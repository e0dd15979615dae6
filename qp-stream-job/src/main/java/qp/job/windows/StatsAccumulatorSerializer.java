package qp.job.windows;

import java.io.IOException;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import qp.protocol.analytics.SketchCodec;

/** Writes a {@link StatsAccumulator} with its sketches as DDSketch's own byte encoding. Format version 1. */
public final class StatsAccumulatorSerializer extends TypeSerializer<StatsAccumulator> {
    public static final StatsAccumulatorSerializer INSTANCE = new StatsAccumulatorSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<StatsAccumulator> duplicate() {
        return this; // stateless
    }

    @Override
    public StatsAccumulator createInstance() {
        return new StatsAccumulator(0.005, false);
    }

    @Override
    public StatsAccumulator copy(StatsAccumulator from) {
        return from.copy();
    }

    @Override
    public StatsAccumulator copy(StatsAccumulator from, StatsAccumulator reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(StatsAccumulator a, DataOutputView out) throws IOException {
        out.writeDouble(a.relativeAccuracy);
        out.writeBoolean(a.trackTypeMix);
        out.writeLong(a.count);
        out.writeLong(a.bytes);
        out.writeLong(a.errors);
        out.writeLong(a.latencyMaxMicros);
        out.writeLong(a.payloadMaxBytes);
        out.writeDouble(a.payloadMean);
        out.writeDouble(a.payloadM2);
        writeBytes(SketchCodec.encode(a.latency), out);
        writeBytes(SketchCodec.encode(a.payload), out);
        out.writeInt(a.typeMix.size());
        for (Map.Entry<String, Long> e : a.typeMix.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue());
        }
        out.writeInt(a.payloadBuckets.length);
        for (long c : a.payloadBuckets) {
            out.writeLong(c);
        }
    }

    @Override
    public StatsAccumulator deserialize(DataInputView in) throws IOException {
        double accuracy = in.readDouble();
        boolean trackTypeMix = in.readBoolean();
        long count = in.readLong();
        long bytes = in.readLong();
        long errors = in.readLong();
        long latencyMax = in.readLong();
        long payloadMax = in.readLong();
        double payloadMean = in.readDouble();
        double payloadM2 = in.readDouble();
        StatsAccumulator a = new StatsAccumulator(accuracy, trackTypeMix, SketchCodec.decode(readBytes(in)),
                SketchCodec.decode(readBytes(in)));
        a.count = count;
        a.bytes = bytes;
        a.errors = errors;
        a.latencyMaxMicros = latencyMax;
        a.payloadMaxBytes = payloadMax;
        a.payloadMean = payloadMean;
        a.payloadM2 = payloadM2;
        int types = in.readInt();
        for (int i = 0; i < types; i++) {
            a.typeMix.put(in.readUTF(), in.readLong());
        }
        int buckets = in.readInt();
        for (int i = 0; i < buckets; i++) {
            long c = in.readLong();
            if (i < a.payloadBuckets.length) {
                a.payloadBuckets[i] += c;
            }
        }
        return a;
    }

    @Override
    public StatsAccumulator deserialize(StatsAccumulator reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    private static void writeBytes(byte[] b, DataOutputView out) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInputView in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof StatsAccumulatorSerializer;
    }

    @Override
    public int hashCode() {
        return StatsAccumulatorSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<StatsAccumulator> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer from a checkpoint; there is only one format so far. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<StatsAccumulator> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
