package qp.job.experiments;

import com.datadoghq.sketch.ddsketch.DDSketch;
import java.io.IOException;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import qp.protocol.analytics.SketchCodec;

/**
 * Writes an {@link ExperimentAccumulator}: its names, then each cell's packed key and sums, each stratum's sketch in
 * DDSketch's own encoding, and each arm and bucket's session hashes. The number of sums per cell is written once, so a
 * later build that adds a sum still reads this format (the new sum reads as 0). Format version 1.
 */
public final class ExperimentAccumulatorSerializer extends TypeSerializer<ExperimentAccumulator> {
    private static final long serialVersionUID = 1L;
    public static final ExperimentAccumulatorSerializer INSTANCE = new ExperimentAccumulatorSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<ExperimentAccumulator> duplicate() {
        return this; // stateless
    }

    @Override
    public ExperimentAccumulator createInstance() {
        return new ExperimentAccumulator(0.005);
    }

    @Override
    public ExperimentAccumulator copy(ExperimentAccumulator from) {
        return from.copy();
    }

    @Override
    public ExperimentAccumulator copy(ExperimentAccumulator from, ExperimentAccumulator reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(ExperimentAccumulator a, DataOutputView out) throws IOException {
        out.writeDouble(a.relativeAccuracy);
        out.writeInt(a.names.size());
        for (String n : a.names) {
            out.writeUTF(n);
        }
        out.writeInt(ExperimentAccumulator.SUMS);
        out.writeInt(a.cells.size());
        for (Map.Entry<Long, long[]> e : a.cells.entrySet()) {
            out.writeLong(e.getKey());
            for (long v : e.getValue()) {
                out.writeLong(v);
            }
        }
        out.writeInt(a.latency.size());
        for (Map.Entry<Long, DDSketch> e : a.latency.entrySet()) {
            out.writeLong(e.getKey());
            byte[] b = SketchCodec.encode(e.getValue());
            out.writeInt(b.length);
            out.write(b);
        }
        out.writeInt(a.units.size());
        for (Map.Entry<Long, UnitSet> e : a.units.entrySet()) {
            out.writeLong(e.getKey());
            long[] units = e.getValue().toArray();
            out.writeInt(units.length);
            for (long u : units) {
                out.writeLong(u);
            }
        }
    }

    @Override
    public ExperimentAccumulator deserialize(DataInputView in) throws IOException {
        ExperimentAccumulator a = new ExperimentAccumulator(in.readDouble());
        int names = in.readInt();
        for (int i = 0; i < names; i++) {
            a.nameIndex(in.readUTF());
        }
        int sums = in.readInt();
        int cells = in.readInt();
        for (int c = 0; c < cells; c++) {
            long key = in.readLong();
            long[] values = new long[ExperimentAccumulator.SUMS];
            for (int i = 0; i < sums; i++) {
                long v = in.readLong();
                if (i < values.length) {
                    values[i] = v;
                }
            }
            a.cells.put(key, values);
        }
        int sketches = in.readInt();
        for (int s = 0; s < sketches; s++) {
            long key = in.readLong();
            byte[] b = new byte[in.readInt()];
            in.readFully(b);
            a.latency.put(key, SketchCodec.decode(b));
        }
        int unitKeys = in.readInt();
        for (int k = 0; k < unitKeys; k++) {
            UnitSet set = a.unitsOf(in.readLong());
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                set.add(in.readLong());
            }
        }
        return a;
    }

    @Override
    public ExperimentAccumulator deserialize(ExperimentAccumulator reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof ExperimentAccumulatorSerializer;
    }

    @Override
    public int hashCode() {
        return ExperimentAccumulatorSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<ExperimentAccumulator> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer from a checkpoint; there is only one format so far. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ExperimentAccumulator> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
