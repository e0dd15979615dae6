package qp.bench.limit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import qp.bench.Probes;
import qp.protocol.json.QpJson;

/**
 * One {@code bin/qp up} the benchmark started, in its own environment ({@link StackEnv}), its output in a log file.
 * {@link #close()} ends it the way an operator does: SIGTERM to {@code up}, whose trap stops every component, then
 * {@code bin/qp down} in the same environment for whatever is left; a process of it still alive after that is killed.
 */
public final class QpStack implements AutoCloseable {
    private static final Duration STOP_GRACE = Duration.ofSeconds(150);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final Path qpHome;
    private final StackEnv env;
    private final java.util.Map<String, String> variables;
    private final Process up;
    private final Path log;
    private final List<ProcessHandle> seen = new ArrayList<>();
    private boolean closed;

    private QpStack(Path qpHome, StackEnv env, java.util.Map<String, String> variables, Process up, Path log) {
        this.qpHome = qpHome;
        this.env = env;
        this.variables = variables;
        this.up = up;
        this.log = log;
    }

    /** {@code bin/qp up} with {@code options} (e.g. --no-job --no-agent); output to {@code <state dir>/up.log}. */
    public static QpStack up(Path qpHome, StackEnv env, List<String> options) throws IOException {
        Files.createDirectories(env.stateDir());
        Path log = env.stateDir().resolve("up.log");
        List<String> command = new ArrayList<>(List.of(qpHome.resolve("bin/qp").toString(), "up"));
        command.addAll(options);
        java.util.Map<String, String> variables = env.variables(System.getenv());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().clear();
        pb.environment().putAll(variables);
        return new QpStack(qpHome, env, variables, pb.start(), log);
    }

    /** Whether {@code bin/qp up} still runs (it exits when any of its components does). */
    public boolean alive() {
        return up.isAlive();
    }

    public StackEnv env() {
        return env;
    }

    public URI gatewayUri() {
        return URI.create("ws://127.0.0.1:" + env.qpPort() + "/qp");
    }

    public GatewayAdmin admin() {
        return new GatewayAdmin(URI.create("http://127.0.0.1:" + env.adminPort()), env.adminToken());
    }

    /** Waits until the gateway's admin API answers GET /params. */
    public void awaitGateway(Duration timeout) throws InterruptedException {
        GatewayAdmin admin = admin();
        await("the gateway answering on its admin port " + env.adminPort(), () -> {
            try {
                return admin.live() && admin.params() != null;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }, timeout);
    }

    /** Waits until the Flink web UI lists a RUNNING job. */
    public void awaitJobRunning(Duration timeout) throws InterruptedException {
        URI overview = URI.create("http://127.0.0.1:" + env.webUiPort() + "/jobs/overview");
        await("a RUNNING job at " + overview, () -> runningJobs(overview) > 0, timeout);
    }

    /** Waits until the agent's dashboard listens (the agent opens it once its store and loop are up). */
    public void awaitAgent(Duration timeout) throws InterruptedException {
        await("the agent's dashboard on port " + env.dashboardPort(), () -> Probes.inUse(env.dashboardPort()), timeout);
    }

    /** Runs {@code bin/qp ARGS...} in the stack's environment; its output goes to {@code out}. Returns its exit code. */
    public int cli(Path out, Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(qpHome.resolve("bin/qp").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().clear();
        pb.environment().putAll(variables);
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            return -1;
        }
        return p.exitValue();
    }

    /** The stack's ports that something still listens on (after {@link #close()}: none, or it says which). */
    public List<Integer> portsListening() {
        List<Integer> open = new ArrayList<>();
        for (int p : env.ports()) {
            if (Probes.inUse(p)) {
                open.add(p);
            }
        }
        return open;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        remember();
        up.destroy(); // SIGTERM: up's trap stops the agent, the gateway, the job and the broker
        waitFor(up.toHandle(), STOP_GRACE);
        try {
            cli(env.stateDir().resolve("down.log"), STOP_GRACE, "down");
        } catch (IOException e) {
            // bin/qp itself cannot start: what is left is killed below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle h : seen) {
            if (h.isAlive()) {
                h.destroyForcibly();
                waitFor(h, Duration.ofSeconds(10));
            }
        }
    }

    /** Every process of the stack so far (its launcher scripts and their JVMs), to kill what the scripts leave. */
    private void remember() {
        seen.add(up.toHandle());
        up.toHandle().descendants().forEach(seen::add);
    }

    private void await(String what, BooleanSupplier check, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.getAsBoolean()) {
            if (!up.isAlive()) {
                throw new IllegalStateException("bin/qp up exited with code " + up.exitValue() + " before " + what
                        + "; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + what + " within " + timeout.toSeconds() + " s; see " + log);
            }
            Thread.sleep(500);
        }
    }

    private static int runningJobs(URI overview) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(overview).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return 0;
            }
            int n = 0;
            for (JsonNode job : QpJson.tree(r.body().getBytes(StandardCharsets.UTF_8)).path("jobs")) {
                if ("RUNNING".equals(job.path("state").asText())) {
                    n++;
                }
            }
            return n;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static void waitFor(ProcessHandle h, Duration timeout) {
        try {
            h.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // still alive: the caller kills it
        }
    }
}
