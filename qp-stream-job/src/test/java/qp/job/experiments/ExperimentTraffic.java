package qp.job.experiments;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;

/**
 * Frames of running experiments, random but seeded: sessions of both arms spread over the eight buckets, every
 * message type in both directions, payloads of every band (and on their bounds), errors, refusals, frames without a
 * latency, and frames before a session is known (control, bucket 0, counted by connection). An experiment starts in
 * the second window, so its node's first window has frames without one.
 */
public final class ExperimentTraffic {
    /** One experiment running on one node. */
    public record Run(String nodeId, String experimentId) {
    }

    static final String[] TYPES = {"AUTH", "COMMAND", "ACK", "DATA", "HEARTBEAT"};
    static final int SESSIONS = 24;
    private static final int[] BOUNDS = {0, 1023, 1024, 16_383, 16_384};

    private ExperimentTraffic() {
    }

    /**
     * @param runs        experiments, each on its node, from window 1 on
     * @param plainNodes  nodes without an experiment
     * @param perWindow   frames per node and window
     */
    public static List<FrameEvent> frames(long seed, long t0Millis, long windowMillis, int windows, List<Run> runs,
            List<String> plainNodes, int perWindow) {
        Random rnd = new Random(seed);
        List<FrameEvent> out = new ArrayList<>();
        List<Run> all = new ArrayList<>(runs);
        plainNodes.forEach(n -> all.add(new Run(n, null)));
        for (Run run : all) {
            long[] seqs = new long[SESSIONS];
            for (int w = 0; w < windows; w++) {
                for (int i = 0; i < perWindow; i++) {
                    int s = rnd.nextInt(SESSIONS);
                    long time = t0Millis + w * windowMillis + (long) (rnd.nextDouble() * windowMillis);
                    String experiment = w == 0 ? null : run.experimentId();
                    out.add(frame(rnd, run.nodeId(), s, seqs[s]++, time, experiment));
                }
            }
        }
        out.sort(Comparator.comparingLong(FrameEvent::eventTimeMillis));
        return out;
    }

    private static FrameEvent frame(Random rnd, String node, int session, long seq, long time, String experiment) {
        boolean known = rnd.nextDouble() >= 0.05; // else before the session is identified
        String arm = known ? (session % 2 == 0 ? "control" : "treatment") : "control";
        int bucket = known ? (session / 2) % 8 : 0; // buckets 0..3 hold two sessions per arm, 4..7 one
        String type = TYPES[rnd.nextInt(TYPES.length)];
        Direction direction = rnd.nextBoolean() ? Direction.IN : Direction.OUT;
        int raw = payload(rnd);
        boolean compressed = raw >= 1024 && rnd.nextBoolean();
        int wire = (compressed ? raw / 3 : raw) + 6;
        long latency = rnd.nextDouble() < 0.25 ? 0
                : 1 + (long) (200 * Math.exp(1.2 * rnd.nextGaussian()) * (arm.equals("treatment") ? 0.8 : 1.0));
        double o = rnd.nextDouble();
        String outcome = o < 0.05 ? "OVERLOADED" : o < 0.10 ? "UNKNOWN_OP" : FrameEvent.OK;
        return new FrameEvent(node, node + "-c" + session, seq, known ? node + "-s" + session : null, type, null,
                direction, wire, raw, compressed, latency, outcome, 1, time, experiment,
                experiment == null ? null : arm, experiment == null ? null : bucket);
    }

    private static int payload(Random rnd) {
        double p = rnd.nextDouble();
        if (p < 0.05) {
            return BOUNDS[rnd.nextInt(BOUNDS.length)];
        }
        if (p < 0.60) {
            return rnd.nextInt(1024);
        }
        if (p < 0.90) {
            return 1024 + rnd.nextInt(16 * 1024 - 1024);
        }
        return 16 * 1024 + rnd.nextInt(64 * 1024);
    }
}
