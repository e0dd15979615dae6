package qp.bench.limit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import qp.protocol.json.QpJson;

/**
 * One run: phase 1 sweeps max_connections on a gateway of {@code bin/qp up --no-job --no-agent} and finds the best
 * value for the SLO; phase 2 starts the whole stack with max_connections at the start limit and the SLO, and watches
 * what the job and the agent make of it. Each phase has its own state dir (run-N/sweep, run-N/tune), so that neither
 * its broker's records nor the parameters its gateway persisted reach the other.
 */
final class LimitRun {
    private static final Duration CLI_TIMEOUT = Duration.ofMinutes(3);

    private final LimitSettings s;
    private final Cleanup cleanup;
    private final Consumer<String> say;

    LimitRun(LimitSettings settings, Cleanup cleanup, Consumer<String> say) {
        this.s = settings;
        this.cleanup = cleanup;
        this.say = say;
    }

    RunResult run(int n) throws IOException, InterruptedException {
        Path dir = s.stateDir().resolve("run-" + n);
        emptyDir(dir);
        RunResult r = new RunResult(n, dir);
        FixedCapacityUpstream upstream = cleanup.add(FixedCapacityUpstream.start(0, s.workers(), s.serviceTime()));
        try {
            say.accept("run " + n + ": upstream on " + upstream.url() + " (" + s.workers() + " workers x "
                    + s.serviceTime().toMillis() + " ms)");
            sweep(n, r, upstream);
            if (r.best != null) {
                tune(n, r, upstream);
            }
        } catch (IOException | RuntimeException e) {
            r.failure = e.getMessage() == null ? e.toString() : e.getMessage();
            say.accept("run " + n + " failed: " + r.failure);
        } finally {
            cleanup.close(upstream);
            Files.writeString(dir.resolve("result.json"), QpJson.string(r.toJson(s)) + "\n", StandardCharsets.UTF_8);
        }
        return r;
    }

    private void sweep(int n, RunResult r, FixedCapacityUpstream upstream) throws IOException, InterruptedException {
        Path phase = r.dir.resolve("sweep");
        Files.createDirectories(phase);
        Path config = phase.resolve("gateway.json");
        ObjectNode c = QpJson.object();
        c.putObject("routes").put(LimitSettings.OP, upstream.url());
        Files.writeString(config, QpJson.string(c), StandardCharsets.UTF_8);
        StackEnv env = StackEnv.fresh(phase, config, null);
        say.accept("run " + n + " phase 1: bin/qp up --no-job --no-agent in " + phase + " (log " + phase.resolve("up.log") + ")");
        QpStack stack = cleanup.add(QpStack.up(s.qpHome(), env, List.of("--no-job", "--no-agent")));
        try {
            stack.awaitGateway(s.startTimeout());
            say.accept("gateway up on " + stack.gatewayUri() + "; starting " + s.clients() + " clients");
            ClosedLoopClients clients = cleanup.add(new ClosedLoopClients(stack.gatewayUri(), env.token(),
                    LimitSettings.OP, s.clients(), s.requestsPerSession(), s.seed() + 2L * n));
            try {
                clients.start();
                r.sweep.addAll(new Sweep(stack.admin(), clients.stats(), s.warmup(), s.sweepSettle(), s.sweepMeasure(), say)
                        .run(s.sweep()));
            } finally {
                cleanup.close(clients);
            }
        } finally {
            stop(stack, "sweep", r);
        }
        r.best = SweptBest.of(r.sweep.stream().map(Sweep.Row::point).toList(), s.sloMillis());
        say.accept("run " + n + " swept best: " + r.best.sentence());
    }

    private void tune(int n, RunResult r, FixedCapacityUpstream upstream) throws IOException, InterruptedException {
        Path phase = r.dir.resolve("tune");
        Files.createDirectories(phase);
        Path config = phase.resolve("gateway.json");
        ObjectNode c = QpJson.object();
        c.putObject("params").put("max_connections", s.startLimit());
        c.putObject("routes").put(LimitSettings.OP, upstream.url());
        Files.writeString(config, QpJson.string(c), StandardCharsets.UTF_8);
        StackEnv env = StackEnv.fresh(phase, config, s.sloOption());
        say.accept("run " + n + " phase 2: bin/qp up (job and agent, QP_SLO_P99=" + s.sloOption() + ") in " + phase
                + " (log " + phase.resolve("up.log") + ")");
        QpStack stack = cleanup.add(QpStack.up(s.qpHome(), env, List.of()));
        try {
            stack.awaitGateway(s.startTimeout());
            say.accept("gateway up; waiting for the Flink job to run (web UI :" + env.webUiPort() + ") and the agent");
            stack.awaitJobRunning(s.startTimeout());
            stack.awaitAgent(s.startTimeout());
            say.accept("job and agent up; starting " + s.clients() + " clients and the " + s.tuneDuration().toSeconds()
                    + " s clock");
            ClosedLoopClients clients = cleanup.add(new ClosedLoopClients(stack.gatewayUri(), env.token(),
                    LimitSettings.OP, s.clients(), s.requestsPerSession(), s.seed() + 2L * n + 1));
            try {
                clients.start();
                r.tune = new TuneWatch(stack.admin(), clients.stats(), LimitSettings.SAMPLE_EVERY, say)
                        .run(s.tuneDuration(), LimitSettings.LAST_WINDOW, () -> !cleanup.stopping() && stack.alive());
            } finally {
                cleanup.close(clients);
            }
            if (r.best.found()) {
                r.band = BandVerdict.of(r.tune.readings().stream().map(TuneWatch.Reading::sample).toList(),
                        r.best.value(), s.band());
            }
            saveAgentView(stack, r);
        } finally {
            stop(stack, "tune", r);
        }
    }

    /** The agent's own account: its experiments and what its gates decide now, read from its store while it runs. */
    private void saveAgentView(QpStack stack, RunResult r) throws IOException, InterruptedException {
        for (String command : List.of("experiments", "optimize")) {
            String file = command + ".json";
            int code = stack.cli(r.dir.resolve(file), CLI_TIMEOUT, command, "--json");
            r.agentFiles.put(file, code);
            say.accept("bin/qp " + command + " --json -> " + r.dir.resolve(file) + " (exit " + code + ")");
        }
    }

    private void stop(QpStack stack, String phase, RunResult r) {
        say.accept("stopping the " + phase + " phase's stack");
        cleanup.close(stack);
        List<Integer> open = stack.portsListening();
        r.portsLeftListening.put(phase, open);
        say.accept(open.isEmpty() ? "stack stopped; none of its ports listens" : "stack stopped, but ports " + open
                + " still listen");
    }

    private static void emptyDir(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
    }
}
