package qp.bench.limit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The benchmark's settings, as {@code bin/qp limit-bench} was given them. */
record LimitSettings(Path qpHome, Path stateDir, Duration sloP99, int workers, Duration serviceTime, int clients,
        double requestsPerSession, List<Long> sweep, Duration warmup, Duration sweepSettle, Duration sweepMeasure,
        Duration tuneDuration, long startLimit, double band, int runs, Duration startTimeout, long seed) {

    /** How often phase 2 reads max_connections. */
    static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);
    /** The window at the end of phase 2 whose p99 must be within the SLO. */
    static final Duration LAST_WINDOW = Duration.ofMinutes(5);
    /** The op the gateway routes to the upstream. */
    static final String OP = "lookup";

    double sloMillis() {
        return sloP99.toNanos() / 1e6;
    }

    /** The SLO as bin/qp up passes it to the job and the agent (QP_SLO_P99). */
    String sloOption() {
        return sloP99.toMillis() + "ms";
    }
}
