package qp.job.training.export;

import java.nio.file.Path;
import java.util.Random;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;
import qp.protocol.export.ExportRecord;
import qp.protocol.export.ExportWriter;
import qp.protocol.json.QpJson;
import qp.protocol.params.TunableParameter;
import qp.protocol.params.TunableParams;

/** Generated exports with a known effect of buffer_size, for TrainMainTest and EffectIntervalCoverage. */
final class SwitchbackExport {
    private SwitchbackExport() {
    }

    /** Per second: the true ln latency (no noise) and the one seen; what the oracle needs of a generated export. */
    record Generated(double[] lnTruth, double[] lnSeen) {
    }

    /**
     * An export in which buffer_size was switched between 4096 and 16384 at random (blocks of 30 s in pairs, each
     * pair's order drawn; the first block and the last at 4096, the node's value now) and latency = (800 µs + 0.5 µs/byte)
     * × {@code factorAt16k} at 16 KiB, with log-normal noise (σ 0.15), one frame a second.
     */
    static Generated write(Path file, long seed, double factorAt16k) throws Exception {
        long t0 = 1_796_000_000_000L;
        int seconds = 1800;
        Random random = new Random(seed);
        long[] buffer = new long[seconds];
        for (int pair = 0; pair < seconds / 60; pair++) {
            boolean smallFirst = pair == 0 || (pair < seconds / 60 - 1 ? random.nextBoolean() : false);
            for (int s = 0; s < 60; s++) {
                buffer[pair * 60 + s] = (s < 30) == smallFirst ? 4096 : 16_384;
            }
        }
        String[] types = {"COMMAND", "DATA", "STREAM", "HEARTBEAT"};
        double[] lnTruth = new double[seconds];
        double[] lnSeen = new double[seconds];
        try (ExportWriter w = ExportWriter.create(file)) {
            for (int i = 0; i < seconds; i++) {
                long t = t0 + i * 1000L;
                int payload = 100 + random.nextInt(7900);
                double truth = (800 + 0.5 * payload) * (buffer[i] == 16_384 ? factorAt16k : 1.0);
                long latency = Math.max(1, Math.round(truth * Math.exp(0.15 * random.nextGaussian())));
                lnTruth[i] = Math.log(truth);
                lnSeen[i] = Math.log(latency);
                TunableParams params = TunableParams.defaults().with(java.util.Map.of(TunableParameter.BUFFER_SIZE,
                        buffer[i]));
                NodeMetrics m = new NodeMetrics("edge-1", t, 1000, 1000, 0, 0, 0.3, 80_000_000, 1L << 30, 20, 0, 0, 4,
                        params);
                FrameEvent f = new FrameEvent("edge-1", "c" + (i % 7), i, "s", types[random.nextInt(4)], null,
                        Direction.IN, payload + 7, payload, false, latency, FrameEvent.OK, 4, t + 500);
                w.write(new ExportRecord("qp.node-metrics", 0, i, "edge-1", t, QpJson.mapper().valueToTree(m)));
                w.write(new ExportRecord("qp.frames", 0, i, f.connectionId(), t + 500, QpJson.mapper().valueToTree(f)));
            }
        }
        return new Generated(lnTruth, lnSeen);
    }
}
