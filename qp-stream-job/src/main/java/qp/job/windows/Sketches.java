package qp.job.windows;

import com.datadoghq.sketch.ddsketch.DDSketch;
import qp.protocol.analytics.SketchCodec;

/** The job's sketches are the protocol's ({@link SketchCodec}): the same kind in Flink state and on the topics. */
public final class Sketches {
    private Sketches() {
    }

    public static DDSketch create(double relativeAccuracy) {
        return SketchCodec.create(relativeAccuracy);
    }

    public static byte[] encode(DDSketch sketch) {
        return SketchCodec.encode(sketch);
    }

    public static DDSketch decode(byte[] bytes) {
        return SketchCodec.decode(bytes);
    }

    /** The value at quantile q, or 0 when the sketch is empty. */
    public static double quantile(DDSketch sketch, double q) {
        return SketchCodec.quantile(sketch, q);
    }
}
