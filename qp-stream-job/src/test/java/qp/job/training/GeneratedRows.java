package qp.job.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import qp.protocol.params.TunableParams;

/** Training rows of generated traffic whose latency has known drivers. */
public final class GeneratedRows {
    private static final String[] TYPES = {"COMMAND", "DATA", "STREAM", "HEARTBEAT"};

    private GeneratedRows() {
    }

    /** A row with random values of every feature; the caller's formula sets the latency. */
    public static List<TrainingRow> generate(int n, long seed, RowShape shape, ToDoubleFunction<TrainingRow> latency) {
        Random r = new Random(seed);
        TunableParams p = TunableParams.defaults();
        List<TrainingRow> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long payload = shape.payload(r);
            boolean compressed = shape.compressedShare() > r.nextDouble();
            long wire = compressed ? (long) (payload * 0.3) + 7 : payload + 7;
            int connections = 1 + r.nextInt(shape.maxConnectionsSeen());
            long buffer = shape.bufferSizes()[r.nextInt(shape.bufferSizes().length)];
            TrainingRow row = new TrainingRow(TYPES[r.nextInt(TYPES.length)], payload, wire, compressed,
                    500 + r.nextDouble() * 2000, r.nextDouble(), 50_000_000 + r.nextInt(100_000_000), connections,
                    buffer, p.heartbeatIntervalMs(), p.compressionThresholdBytes(), p.maxConnections(),
                    p.maxFrameBytes(), 1, 0, 1_000_000L + i * 1000L); // one frame a second: each its own cell
            long label = Math.max(1, Math.round(latency.applyAsDouble(row) + r.nextGaussian() * shape.noiseMicros()));
            out.add(new TrainingRow(row.messageType(), row.payloadSize(), row.wireBytes(), row.compressed(),
                    row.throughput(), row.cpu(), row.memory(), row.connections(), row.bufferSize(),
                    row.heartbeatInterval(), row.compressionThreshold(), row.maxConnections(), row.maxFrameBytes(),
                    row.paramVersion(), label, row.eventTimeMillis()));
        }
        return out;
    }

    /** Latency = 1 ms + 1 µs/byte + 32 ms·(connections/60)²: p95 crosses 50 ms near 60 connections. */
    public static List<TrainingRow> payloadAndConnections(int n, long seed) {
        return generate(n, seed, RowShape.DEFAULT,
                row -> 1000 + row.payloadSize() + 32_000 * Math.pow(row.connections() / 60.0, 2));
    }

    /** The same rows with event times {@code fromMillis}, {@code fromMillis + stepMillis}, ... */
    public static List<TrainingRow> timed(List<TrainingRow> rows, long fromMillis, long stepMillis) {
        List<TrainingRow> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            TrainingRow r = rows.get(i);
            out.add(new TrainingRow(r.messageType(), r.payloadSize(), r.wireBytes(), r.compressed(), r.throughput(),
                    r.cpu(), r.memory(), r.connections(), r.bufferSize(), r.heartbeatInterval(),
                    r.compressionThreshold(), r.maxConnections(), r.maxFrameBytes(), r.paramVersion(),
                    r.latencyMicros(), fromMillis + i * stepMillis));
        }
        return out;
    }

    /**
     * @param minPayload          smallest payload
     * @param maxPayload          largest payload (uniform between) unless {@code payloadMean} &gt; 0
     * @param payloadMean         when &gt; 0, payloads are normal with this mean and {@code payloadSd}
     * @param payloadSd           their standard deviation
     * @param compressedShare     share of frames that come compressed (to 30% of their size)
     * @param maxConnectionsSeen  connections are uniform in 1..this
     * @param bufferSizes         buffer_size values seen
     * @param noiseMicros         σ of the Gaussian noise on the latency
     */
    public record RowShape(long minPayload, long maxPayload, double payloadMean, double payloadSd,
            double compressedShare, int maxConnectionsSeen, long[] bufferSizes, double noiseMicros) {
        public static final RowShape DEFAULT = new RowShape(200, 16_000, 0, 0, 0, 100, new long[] {8192}, 1000);

        long payload(Random r) {
            if (payloadMean > 0) {
                return Math.max(1, Math.round(payloadMean + r.nextGaussian() * payloadSd));
            }
            return minPayload + (long) (r.nextDouble() * (maxPayload - minPayload));
        }
    }
}
