package qp.agent.insight;

import com.datadoghq.sketch.ddsketch.DDSketch;
import qp.protocol.analytics.SketchCodec;

/**
 * The latency of many windows: their DDSketches merged, so that a percentile covers every frame of every window to
 * the sketch's relative accuracy. Never an average of the windows' percentiles, which can be off by any amount.
 * A window without a readable sketch of the same accuracy as the others is counted and left out.
 */
final class MergedLatency {
    private DDSketch sketch;
    private long windows;
    private long leftOut;
    private long maxMicros;

    /** A window's sketch bytes (null: the window has none) and its exact maximum latency. */
    void add(byte[] sketchBytes, long windowMaxMicros) {
        if (sketchBytes == null) {
            leftOut++;
            return;
        }
        DDSketch s;
        try {
            s = SketchCodec.decode(sketchBytes);
        } catch (RuntimeException unreadable) {
            leftOut++;
            return;
        }
        if (merge(s)) {
            windows++;
            maxMicros = Math.max(maxMicros, windowMaxMicros);
        }
    }

    /** Another set of windows (another node's), whose sketch is left as it is. */
    void addAll(MergedLatency o) {
        leftOut += o.leftOut;
        if (o.sketch == null) {
            return;
        }
        if (merge(o.sketch.copy())) {
            windows += o.windows;
            maxMicros = Math.max(maxMicros, o.maxMicros);
        } else {
            leftOut += o.windows;
        }
    }

    private boolean merge(DDSketch s) {
        if (sketch == null) {
            sketch = s;
            return true;
        }
        if (!sketch.getIndexMapping().equals(s.getIndexMapping())) {
            return false; // a sketch of another accuracy: its bins do not line up with these
        }
        sketch.mergeWith(s);
        return true;
    }

    /** Windows whose sketches are merged. */
    long windows() {
        return windows;
    }

    /** Windows in the range without a sketch (from before the job published them), unreadable or of another accuracy. */
    long leftOut() {
        return leftOut;
    }

    /** Frames with a latency in the merged windows. */
    long samples() {
        return sketch == null ? 0 : Math.round(sketch.getCount());
    }

    /** The value at quantile q, within {@link #relativeAccuracy()} of the exact one; null without frames. */
    Long quantileMicros(double q) {
        return samples() == 0 ? null : Math.round(sketch.getValueAtQuantile(q));
    }

    /** The mean, from the sketch's bins: within {@link #relativeAccuracy()} too. */
    Double avgMicros() {
        return samples() == 0 ? null : sketch.getSum() / sketch.getCount();
    }

    /** The largest latency of the merged windows, exact. */
    Long maxMicros() {
        return samples() == 0 ? null : maxMicros;
    }

    /** The sketch's accuracy as it was asked for (0.005), not as the mapping's arithmetic leaves it (0.00499...). */
    Double relativeAccuracy() {
        return sketch == null ? null : Math.round(SketchCodec.relativeAccuracy(sketch) * 1e9) / 1e9;
    }
}
