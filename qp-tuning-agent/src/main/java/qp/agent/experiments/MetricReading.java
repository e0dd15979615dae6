package qp.agent.experiments;

import java.util.List;
import qp.protocol.analytics.ExperimentStats;
import qp.protocol.experiments.ArmMetric;

/**
 * How one {@link ArmMetric} reads {@code qp.experiment-stats}: which stratum a cell falls in and what it adds to the
 * metric's numerator and denominator. Every metric is {@code sum(numerator) / sum(denominator)}, lower is better.
 */
final class MetricReading {
    static final String ALL = "*";
    private static final String STREAM = "STREAM";

    private MetricReading() {
    }

    /**
     * Adds one cell to {@code sums} (stratum key to {numerator, denominator}); true when the metric reads the cell.
     */
    static boolean add(ArmMetric m, ExperimentStats.Cell c, Sums sums) {
        boolean out = "OUT".equals(c.direction());
        switch (m) {
            case WIRE_BYTES_PER_RAW_BYTE -> {
                return out && c.rawBytes() > 0 && sums.add(c.type() + "|" + c.band(), c.wireBytes(), c.rawBytes());
            }
            case STREAM_LATENCY -> {
                return STREAM.equals(c.type()) && out && c.latencyFrames() > 0
                        && sums.add(c.band(), c.latencySumMicros(), c.latencyFrames());
            }
            case ADMITTED_LATENCY -> {
                return c.latencyFrames() > 0 && c.refusals() == 0
                        && sums.add(c.type() + "|" + c.direction() + "|" + c.band(), c.latencySumMicros(),
                                c.latencyFrames());
            }
            case ERROR_RATE -> {
                return sums.add(c.type() + "|" + c.direction(), c.errors() - c.refusals(), c.frames());
            }
            case HEARTBEATS_PER_CONNECTION_MINUTE -> {
                return "HEARTBEAT".equals(c.type()) && out && sums.add(ALL, c.frames(), 0);
            }
            case REFUSALS_PER_MINUTE -> {
                return sums.add(ALL, c.refusals(), 0);
            }
            default -> throw new IllegalArgumentException(m.wire() + " is a guard, compared per window");
        }
    }

    /**
     * The denominator that comes from the window rather than from cells: connection-minutes of the arm's sessions in
     * the bucket (heartbeats), or minutes of the window in which the bucket was seen (refusals).
     */
    static void addExposure(ArmMetric m, ExperimentStats w, String arm, long bucket, Sums sums) {
        double minutes = w.windowLengthMillis() / 60_000.0;
        if (m == ArmMetric.HEARTBEATS_PER_CONNECTION_MINUTE) {
            long sessions = sessions(w.units(), arm, bucket);
            sums.add(ALL, 0, sessions * minutes);
        } else if (m == ArmMetric.REFUSALS_PER_MINUTE) {
            sums.add(ALL, 0, minutes);
        }
    }

    static boolean hasExposure(ArmMetric m) {
        return m == ArmMetric.HEARTBEATS_PER_CONNECTION_MINUTE || m == ArmMetric.REFUSALS_PER_MINUTE;
    }

    private static long sessions(List<ExperimentStats.Units> units, String arm, long bucket) {
        long n = 0;
        for (ExperimentStats.Units u : units == null ? List.<ExperimentStats.Units>of() : units) {
            if (u.arm().equals(arm) && u.bucket() == bucket) {
                n += u.sessions();
            }
        }
        return n;
    }
}
