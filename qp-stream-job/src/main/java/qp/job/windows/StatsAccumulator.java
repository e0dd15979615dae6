package qp.job.windows;

import com.datadoghq.sketch.ddsketch.DDSketch;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import qp.protocol.analytics.PayloadSizeBuckets;
import qp.protocol.analytics.SketchCodec;
import qp.protocol.events.FrameEvent;

/**
 * What a window keeps of its frames: counts, sums, exact maxima and two DDSketches (latency, payload size).
 * Its size does not grow with the number of frames. Stored in Flink state by {@link StatsAccumulatorSerializer}.
 */
@TypeInfo(StatsAccumulatorTypeInfoFactory.class)
public final class StatsAccumulator {
    final double relativeAccuracy;
    final boolean trackTypeMix;
    long count;
    long bytes;
    long errors;
    long latencyMaxMicros;
    long payloadMaxBytes;
    // Welford's running mean and sum of squared deviations of the payload size, mergeable (Chan et al.)
    double payloadMean;
    double payloadM2;
    DDSketch latency;
    DDSketch payload;
    final TreeMap<String, Long> typeMix = new TreeMap<>();
    final long[] payloadBuckets = new long[PayloadSizeBuckets.count()];

    StatsAccumulator(double relativeAccuracy, boolean trackTypeMix) {
        this(relativeAccuracy, trackTypeMix, SketchCodec.create(relativeAccuracy), SketchCodec.create(relativeAccuracy));
    }

    StatsAccumulator(double relativeAccuracy, boolean trackTypeMix, DDSketch latency, DDSketch payload) {
        this.relativeAccuracy = relativeAccuracy;
        this.trackTypeMix = trackTypeMix;
        this.latency = latency;
        this.payload = payload;
    }

    void add(FrameEvent e) {
        add(e.type(), e.wireBytes(), e.rawBytes(), e.latencyMicros(), e.isError());
    }

    void add(NodeFrame f) {
        add(f.type(), f.wireBytes(), f.rawBytes(), f.latencyMicros(), f.error());
    }

    private void add(String type, int wireBytes, int rawBytes, long latencyMicros, boolean error) {
        count++;
        bytes += wireBytes;
        if (error) {
            errors++;
        }
        if (latencyMicros > 0) { // 0 means the frame had no reply: not a latency sample
            latency.accept(latencyMicros);
            latencyMaxMicros = Math.max(latencyMaxMicros, latencyMicros);
        }
        int size = Math.max(0, rawBytes);
        payload.accept(size);
        payloadMaxBytes = Math.max(payloadMaxBytes, size);
        payloadBuckets[PayloadSizeBuckets.index(size)]++;
        double delta = size - payloadMean;
        payloadMean += delta / count;
        payloadM2 += delta * (size - payloadMean);
        if (trackTypeMix) {
            typeMix.merge(type, 1L, Long::sum);
        }
    }

    StatsAccumulator merge(StatsAccumulator o) {
        if (o.count == 0) {
            return this;
        }
        long n = count + o.count;
        double delta = o.payloadMean - payloadMean;
        payloadM2 += o.payloadM2 + delta * delta * count * o.count / n;
        payloadMean += delta * o.count / n;
        count = n;
        bytes += o.bytes;
        errors += o.errors;
        latencyMaxMicros = Math.max(latencyMaxMicros, o.latencyMaxMicros);
        payloadMaxBytes = Math.max(payloadMaxBytes, o.payloadMaxBytes);
        latency.mergeWith(o.latency);
        payload.mergeWith(o.payload);
        o.typeMix.forEach((t, c) -> typeMix.merge(t, c, Long::sum));
        for (int i = 0; i < payloadBuckets.length; i++) {
            payloadBuckets[i] += o.payloadBuckets[i];
        }
        return this;
    }

    /** Merges a per-type window's accumulator (which keeps no type mix); its frames count under {@code type}. */
    void addTypeWindow(String type, StatsAccumulator ofType) {
        merge(ofType);
        if (trackTypeMix && ofType.count > 0) {
            typeMix.merge(type, ofType.count, Long::sum);
        }
    }

    StatsAccumulator copy() {
        StatsAccumulator c = new StatsAccumulator(relativeAccuracy, trackTypeMix, latency.copy(), payload.copy());
        c.count = count;
        c.bytes = bytes;
        c.errors = errors;
        c.latencyMaxMicros = latencyMaxMicros;
        c.payloadMaxBytes = payloadMaxBytes;
        c.payloadMean = payloadMean;
        c.payloadM2 = payloadM2;
        c.typeMix.putAll(typeMix);
        System.arraycopy(payloadBuckets, 0, c.payloadBuckets, 0, payloadBuckets.length);
        return c;
    }

    public long count() {
        return count;
    }

    public long latencySamples() {
        return (long) Math.round(latency.getCount());
    }

    public double latencyQuantile(double q) {
        return SketchCodec.quantile(latency, q);
    }

    public double payloadQuantile(double q) {
        return SketchCodec.quantile(payload, q);
    }

    public double payloadStddev() {
        return count == 0 ? 0 : Math.sqrt(Math.max(0, payloadM2 / count));
    }
}
