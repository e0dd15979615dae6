package qp.bench.limit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import qp.options.Durations;

/**
 * {@code bin/qp limit-bench}: does the stack tune max_connections like a concurrency limiter? Each run sweeps
 * max_connections on a gateway in front of an upstream of fixed capacity to find the best value for the SLO, then
 * starts the whole stack at the start limit and checks that the job and the agent bring max_connections into a band
 * around that value, keep it there, and keep p99 within the SLO over the last 5 minutes.
 */
@Command(name = "qp limit-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Puts a gateway (bin/qp up) in front of an upstream of fixed capacity (workers x service time) and",
                "drives it with closed-loop clients that reconnect when refused. Phase 1 sweeps max_connections through",
                "the admin API and finds where the client-side p99 crosses the SLO; phase 2 starts the whole stack (job,",
                "agent, default options except the SLO) at --start-limit and records max_connections every 5 s and the",
                "clients' p99 every minute. A run passes when max_connections entered the band around the swept best",
                "and stayed in it, and p99 over the last 5 minutes was within the SLO. Exit 0 when every run passed."})
public final class LimitBenchMain implements Callable<Integer> {
    @Option(names = "--qp-home", defaultValue = ".",
            description = "QP's checkout, whose bin/qp is run (bin/qp limit-bench sets it) (default ${DEFAULT-VALUE}).")
    Path qpHome;

    @Option(names = "--state-dir",
            description = "Where each run's dir run-N goes (emptied first) (default: $QP_STATE_DIR/limit-bench, else"
                    + " .qp/limit-bench).")
    Path stateDir;

    @Option(names = "--slo-p99", defaultValue = "200ms", converter = DurationConverter.class,
            description = "The p99 service level: the sweep's target, and QP_SLO_P99 of the tuning phase (default"
                    + " ${DEFAULT-VALUE}).")
    Duration sloP99;

    @Option(names = "--workers", defaultValue = "8",
            description = "The upstream's worker threads (default ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--service-time", defaultValue = "20ms", converter = DurationConverter.class,
            description = "The upstream's time per request (default ${DEFAULT-VALUE}).")
    Duration serviceTime;

    @Option(names = "--clients", defaultValue = "200",
            description = "Closed-loop virtual users (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--requests-per-session", defaultValue = "10",
            description = "Mean requests of a session, geometric; then a normal close and a new connection (default"
                    + " ${DEFAULT-VALUE}).")
    double requestsPerSession;

    @Option(names = "--sweep", defaultValue = "20,40,60,80,100,120,160,200",
            description = "The max_connections values of phase 1, comma-separated (default ${DEFAULT-VALUE}).")
    String sweep;

    @Option(names = "--warmup", defaultValue = "20s", converter = DurationConverter.class,
            description = "Load at the first swept value before the sweep, not measured: the JVMs compile their hot"
                    + " paths (default ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--sweep-settle", defaultValue = "10s", converter = DurationConverter.class,
            description = "Load before each swept value is measured (default ${DEFAULT-VALUE}).")
    Duration sweepSettle;

    @Option(names = "--sweep-measure", defaultValue = "30s", converter = DurationConverter.class,
            description = "Measured time per swept value (default ${DEFAULT-VALUE}).")
    Duration sweepMeasure;

    @Option(names = "--tune-duration", defaultValue = "15min", converter = DurationConverter.class,
            description = "Length of the tuning phase, from the job and agent running (default ${DEFAULT-VALUE}).")
    Duration tuneDuration;

    @Option(names = "--start-limit", defaultValue = "1000",
            description = "max_connections at the start of the tuning phase (default ${DEFAULT-VALUE}).")
    long startLimit;

    @Option(names = "--band", defaultValue = "0.25",
            description = "Half-width of the band around the swept best, relative (default ${DEFAULT-VALUE}).")
    double band;

    @Option(names = "--runs", defaultValue = "1",
            description = "Runs, each with both phases; all are reported (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--start-timeout", defaultValue = "5min", converter = DurationConverter.class,
            description = "How long the gateway, the job and the agent may each take to start (default"
                    + " ${DEFAULT-VALUE}).")
    Duration startTimeout;

    @Option(names = "--seed", defaultValue = "20261219",
            description = "Random seed of the clients (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        LimitSettings settings = settings();
        Cleanup cleanup = new Cleanup();
        Thread main = Thread.currentThread();
        Thread hook = new Thread(() -> {
            say("interrupted: stopping the clients, the stack and the upstream");
            cleanup.closeAll();
            main.interrupt();
            say("stopped");
        }, "qp-limit-bench-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        List<RunResult> results = new ArrayList<>();
        try {
            LimitRun run = new LimitRun(settings, cleanup, LimitBenchMain::say);
            for (int n = 1; n <= runs; n++) {
                RunResult r = run.run(n);
                results.add(r);
                System.out.print(LimitReport.run(r, settings));
                System.out.println("result: " + r.dir.resolve("result.json").toAbsolutePath());
                System.out.flush();
            }
        } finally {
            cleanup.closeAll();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down (Ctrl-C): the hook is running
            }
        }
        System.out.print(LimitReport.summary(results, settings));
        return results.stream().allMatch(r -> r.passed(settings.sloMillis())) ? 0 : 1;
    }

    LimitSettings settings() {
        if (workers < 1 || clients < 1 || runs < 1 || requestsPerSession < 1 || startLimit < 1 || startLimit > 100_000) {
            throw new IllegalArgumentException("--workers, --clients, --runs and --requests-per-session must be at least 1, "
                    + "--start-limit within 1..100000");
        }
        if (!(band > 0 && band < 1)) {
            throw new IllegalArgumentException("--band is relative, between 0 and 1 (0.25 = ±25%), got " + band);
        }
        Path dir = stateDir != null ? stateDir
                : Path.of(System.getenv().getOrDefault("QP_STATE_DIR", ".qp"), "limit-bench");
        return new LimitSettings(qpHome.toAbsolutePath(), dir.toAbsolutePath(), sloP99, workers, serviceTime, clients,
                requestsPerSession, sweepValues(sweep), warmup, sweepSettle, sweepMeasure, tuneDuration, startLimit, band,
                runs, startTimeout, seed);
    }

    /** "20,40,60": ascending, each once, each a valid max_connections. */
    static List<Long> sweepValues(String list) {
        TreeSet<Long> values = new TreeSet<>();
        for (String part : list.split(",")) {
            long v;
            try {
                v = Long.parseLong(part.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--sweep wants comma-separated whole numbers, e.g. 20,40,60; got '"
                        + part.strip() + "'");
            }
            if (v < 1 || v > 100_000) {
                throw new IllegalArgumentException("--sweep: " + v + " is outside max_connections' range 1..100000");
            }
            values.add(v);
        }
        if (values.size() < 2) {
            throw new IllegalArgumentException("--sweep needs at least two values to find where p99 crosses the SLO");
        }
        return List.copyOf(values);
    }

    /** Durations as every QP option writes them: 500ms, 10s, 15min, 1h. */
    public static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Durations.parse(value);
        }
    }

    private static void say(String line) {
        System.out.println("qp limit-bench: " + line);
        System.out.flush();
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new LimitBenchMain());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("qp limit-bench: " + e.getMessage());
            return e instanceof IllegalArgumentException ? 2 : 1;
        });
        System.exit(cli.execute(args));
    }
}
