package qp.protocol.analytics;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.mapping.LogarithmicMapping;
import com.datadoghq.sketch.ddsketch.store.CollapsingLowestDenseStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * The one kind of DDSketch QP uses and its byte encoding: DDSketch's own, index mapping included, so that a reader
 * needs no setting to decode it. The job keeps it in Flink state; {@link WindowStats#latencySketch()} carries it in
 * base64, so that readers can merge windows instead of averaging their percentiles.
 */
public final class SketchCodec {
    /** Bins per sketch: at 0.5% accuracy this spans 1 µs .. 10^8 µs before the lowest bins collapse. */
    public static final int MAX_BINS = 2048;

    private SketchCodec() {
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

    public static String toBase64(DDSketch sketch) {
        return Base64.getEncoder().encodeToString(encode(sketch));
    }

    public static byte[] fromBase64(String base64) {
        return Base64.getDecoder().decode(base64);
    }

    /** The value at quantile q, or 0 when the sketch is empty. */
    public static double quantile(DDSketch sketch, double q) {
        return sketch.isEmpty() ? 0 : sketch.getValueAtQuantile(q);
    }

    /** The guarantee of the sketch's quantiles: each is within this share of a true value of its rank. */
    public static double relativeAccuracy(DDSketch sketch) {
        return sketch.getIndexMapping().relativeAccuracy();
    }
}
