package qp.cluster.session;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import qp.cluster.rest.FlinkRestClient;
import qp.cluster.rest.FlinkRestClient.ClusterOverview;
import qp.cluster.rest.FlinkRestException;
import qp.cluster.rest.Poll;

/**
 * A standalone Flink session cluster on this machine: a JobManager and a TaskManager JVM, started from the
 * qp-flink-dist class path with the config written into the state dir, pid files and logs beside it. The processes
 * outlive the command that started them; {@link #stop} ends them by their pid files.
 */
public final class SessionCluster {
    private final Poll poll;

    public SessionCluster(Poll poll) {
        this.poll = poll;
    }

    /** What is running, as far as the pid files and the REST API tell. */
    public record Status(Map<FlinkProcess, Long> pids, String restUrl, ClusterOverview overview, String problem) {
        public boolean running() {
            return pids.containsKey(FlinkProcess.JOBMANAGER) && overview != null;
        }

        public String describe() {
            if (pids.isEmpty()) {
                return "cluster: not running";
            }
            StringBuilder s = new StringBuilder("cluster: ");
            s.append(running() ? "running" : "not healthy");
            pids.forEach((p, pid) -> s.append(", ").append(p.fileName()).append(" pid ").append(pid));
            if (overview != null) {
                s.append(", web UI ").append(restUrl).append(", Flink ").append(overview.flinkVersion()).append(", ")
                        .append(overview.taskManagers()).append(" TaskManager(s), ").append(overview.slotsAvailable())
                        .append(" of ").append(overview.slotsTotal()).append(" slots free, ")
                        .append(overview.jobsRunning()).append(" job(s) running");
            }
            if (problem != null) {
                s.append(" (").append(problem).append(")");
            }
            return s.toString();
        }
    }

    public Status start(ClusterSettings s) throws IOException, InterruptedException {
        ClusterLayout l = s.layout();
        Status before = status(l);
        if (!before.pids().isEmpty()) {
            if (before.running()) {
                return before;
            }
            throw new IllegalStateException("a cluster of " + l.stateDir() + " is partly running (" + before.describe()
                    + "): run `bin/qp cluster stop` first");
        }
        String classpath = s.classpath();
        checkPortsFree(s);
        FlinkConfigFiles.write(s);
        Map<FlinkProcess, Long> started = new LinkedHashMap<>();
        try {
            for (FlinkProcess p : FlinkProcess.values()) {
                JvmCommand.ResourceParams params = JvmCommand.ResourceParams.compute(p, l, classpath);
                Files.deleteIfExists(l.outFile(p));
                Process process = new ProcessBuilder(JvmCommand.of(p, l, classpath, params))
                        .redirectInput(new File("/dev/null")).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(l.outFile(p).toFile())).start();
                Files.writeString(l.pidFile(p), process.pid() + "\n", StandardCharsets.UTF_8);
                started.put(p, process.pid());
            }
            Files.writeString(l.restUrlFile(), s.restUrl() + "\n", StandardCharsets.UTF_8);
            FlinkRestClient rest = new FlinkRestClient(s.restUrl(), Duration.ofSeconds(10));
            poll.until(s.startTimeout(), "the TaskManager to register with the JobManager at " + s.restUrl()
                    + " (logs in " + l.logDir() + ")", () -> {
                        for (FlinkProcess p : FlinkProcess.values()) {
                            if (alive(l, p).isEmpty()) {
                                throw new IllegalStateException("the " + p.fileName() + " exited at start; its log ("
                                        + l.logFile(p) + ") ends with:\n" + tail(l, p));
                            }
                        }
                        try {
                            ClusterOverview o = rest.overview();
                            return o.taskManagers() >= 1 && o.slotsTotal() >= s.slots() ? Optional.of(o) : Optional.empty();
                        } catch (FlinkRestException notYet) {
                            return Optional.empty();
                        }
                    });
        } catch (RuntimeException | IOException | Error e) {
            stop(l, s.stopTimeout()); // nothing half-started is left behind
            throw e;
        }
        return status(l);
    }

    public Status status(ClusterLayout l) {
        Map<FlinkProcess, Long> pids = new LinkedHashMap<>();
        for (FlinkProcess p : FlinkProcess.values()) {
            alive(l, p).ifPresent(h -> pids.put(p, h.pid()));
        }
        String restUrl = readRestUrl(l);
        if (pids.isEmpty() || restUrl == null) {
            return new Status(pids, restUrl, null, null);
        }
        try {
            return new Status(pids, restUrl, new FlinkRestClient(restUrl, Duration.ofSeconds(10)).overview(), null);
        } catch (FlinkRestException e) {
            return new Status(pids, restUrl, null, e.getMessage());
        }
    }

    /** Stops the TaskManager, then the JobManager: SIGTERM, and SIGKILL after {@code timeout}. Returns what it stopped. */
    public List<String> stop(ClusterLayout l, Duration timeout) throws IOException {
        List<String> stopped = new ArrayList<>();
        for (FlinkProcess p : List.of(FlinkProcess.TASKMANAGER, FlinkProcess.JOBMANAGER)) {
            Optional<ProcessHandle> h = alive(l, p);
            if (h.isPresent()) {
                ProcessHandle process = h.get();
                process.destroy();
                try {
                    process.onExit().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                    stopped.add(p.fileName() + " (pid " + process.pid() + ")");
                } catch (java.util.concurrent.TimeoutException e) {
                    process.destroyForcibly();
                    stopped.add(p.fileName() + " (pid " + process.pid() + ", killed after " + timeout.toSeconds() + " s)");
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while stopping the " + p.fileName(), e);
                }
            }
            Files.deleteIfExists(l.pidFile(p));
        }
        Files.deleteIfExists(l.restUrlFile());
        return stopped;
    }

    /** The process of the pid file, if it is alive and is that Flink process (not a reused pid). */
    static Optional<ProcessHandle> alive(ClusterLayout l, FlinkProcess p) {
        Path file = l.pidFile(p);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(file).strip());
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(h -> h.info().arguments().map(args -> List.of(args).contains(p.mainClass())).orElse(true));
    }

    private static void checkPortsFree(ClusterSettings s) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("--web-ui-port", s.webUiPort());
        ports.put("--rpc-port", s.rpcPort());
        ports.put("--blob-port", s.blobPort());
        ports.put("--taskmanager-rpc-port", s.taskManagerRpcPort());
        ports.put("--taskmanager-data-port", s.taskManagerDataPort());
        ports.forEach((option, port) -> {
            if (port == 0) {
                return;
            }
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
            } catch (IOException e) {
                throw new IllegalStateException("port " + port + " (" + option + ") is in use by another process; "
                        + "choose another with " + option + " (bin/qp: the matching QP_FLINK_* variable)");
            }
        });
    }

    private static String readRestUrl(ClusterLayout l) {
        try {
            return Files.isRegularFile(l.restUrlFile()) ? Files.readString(l.restUrlFile()).strip() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String tail(ClusterLayout l, FlinkProcess p) {
        List<String> lines = new ArrayList<>();
        for (Path f : List.of(l.logFile(p), l.outFile(p))) {
            try {
                if (Files.isRegularFile(f)) {
                    lines.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                lines.add("(cannot read " + f + ": " + e.getMessage() + ")");
            }
        }
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}
