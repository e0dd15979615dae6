package qp.job.windows;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.mapping.LogarithmicMapping;
import com.datadoghq.sketch.ddsketch.store.CollapsingLowestDenseStore;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The one kind of DDSketch the job uses, and its byte encoding for Flink state (no protobuf, no Kryo). */
public final class Sketches {
    /** Bins per sketch: at 0.5% accuracy this spans 1 µs .. 10^8 µs before the lowest bins collapse. */
    static final int MAX_BINS = 2048;

    private Sketches() {
    }

    public static DDSketch create(double relativeAccuracy) {
        // collapsing the lowest bins keeps memory bounded while the high quantiles we report stay exact to α
        return new DDSketch(new LogarithmicMapping(relativeAccuracy), () -> new CollapsingLowestDenseStore(MAX_BINS));
    }

    public static byte[] encode(DDSketch sketch) {
        GrowingByteArrayOutput out = GrowingByteArrayOutput.withDefaultInitialCapacity();
        try {
            sketch.encode(out, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a DDSketch into memory", e);
        }
        return out.trimmedCopy();
    }

    public static DDSketch decode(byte[] bytes) {
        try {
            return DDSketch.decode(ByteArrayInput.wrap(bytes), () -> new CollapsingLowestDenseStore(MAX_BINS));
        } catch (IOException e) {
            throw new UncheckedIOException("stored DDSketch bytes are unreadable (" + bytes.length + " bytes)", e);
        }
    }

    /** The value at quantile q, or 0 when the sketch is empty. */
    public static double quantile(DDSketch sketch, double q) {
        return sketch.isEmpty() ? 0 : sketch.getValueAtQuantile(q);
    }
}
