package qp.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import qp.bench.Probes;
import qp.bench.load.LoadMain;
import qp.bench.scenario.PhaseCounts;
import qp.bench.scenario.ScenarioConfig;
import qp.bench.scenario.ScenarioMain;
import qp.bench.scenario.ScenarioRunner;
import qp.bench.scenario.ScenarioScript;
import qp.bench.scenario.SlowUpstream;
import qp.protocol.json.QpJson;

/**
 * {@code bin/qp demo}: the whole loop on loopback in one command. Starts a broker, the Flink job, two gateways
 * (edge-1, edge-2), the agent when this build has one, and plays the scenario against the gateways; prints a status
 * line every few seconds and a report at the end. Exit 0 only when an experiment was kept (its treatment adopted on the
 * whole node); Ctrl-C stops everything it started.
 */
@Command(name = "qp demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the whole loop on this machine: broker, Flink job (web UI), gateways edge-1 and edge-2, the",
                "tuning agent with its dashboard, and a scripted scenario; prints a live status and a final report.",
                "Exits 0 only if at least one experiment was kept (adopted on its node). Ctrl-C stops everything it started."})
public final class DemoMain implements Callable<Integer> {
    @Option(names = "--duration", defaultValue = "7m", converter = LoadMain.DurationConverter.class,
            description = "How long the scenario plays; its phases are scaled to it (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--phases", defaultValue = ScenarioScript.DEFAULT,
            description = "The scenario's phases and their relative lengths (default ${DEFAULT-VALUE}).")
    String phases;

    @Option(names = "--rate", defaultValue = "100", description = "Scenario requests per second per gateway (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--connections", defaultValue = "16",
            description = "Scenario connections per gateway per phase, the sessions an experiment splits into its arms; "
                    + "more give its interval more buckets to vary over, so a clear effect is decided sooner "
                    + "(default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--surge-connections", defaultValue = "150",
            description = "Connections of the surge against edge-1, whose max_connections is 100 (default ${DEFAULT-VALUE}).")
    int surgeConnections;

    @Option(names = "--state-dir", description = "Logs, tokens, configs and the agent's store (default: $QP_STATE_DIR/demo, else .qp/demo).")
    Path stateDir;

    @Option(names = "--qp-home", description = "QP's checkout, for the job's log configuration (bin/qp demo sets it).")
    Path qpHome;

    @Option(names = "--no-job", description = "Do not start the Flink job (the loop cannot close; for quick checks).")
    boolean noJob;

    @Option(names = "--no-agent", description = "Do not start the agent (the loop cannot close; for quick checks).")
    boolean noAgent;

    @Option(names = "--edge1-port", defaultValue = "${env:QP_PORT:-9999}", description = "edge-1's QP port")
    int edge1Port;

    @Option(names = "--edge1-admin-port", defaultValue = "${env:QP_ADMIN_PORT:-9998}", description = "edge-1's admin port")
    int edge1AdminPort;

    @Option(names = "--edge2-port", defaultValue = "${env:QP_EDGE2_PORT:-9989}", description = "edge-2's QP port")
    int edge2Port;

    @Option(names = "--edge2-admin-port", defaultValue = "${env:QP_EDGE2_ADMIN_PORT:-9988}", description = "edge-2's admin port")
    int edge2AdminPort;

    @Option(names = "--web-ui-port", defaultValue = "${env:QP_WEB_UI_PORT:-8081}", description = "Flink web UI")
    int webUiPort;

    @Option(names = "--dashboard-port", defaultValue = "${env:QP_DASHBOARD_PORT:-8090}", description = "The agent's dashboard")
    int dashboardPort;

    @Option(names = "--upstream-port", defaultValue = "${env:QP_UPSTREAM_PORT:-9990}", description = "The scenario's upstream service")
    int upstreamPort;

    @Option(names = "--start-timeout", defaultValue = "5m", converter = LoadMain.DurationConverter.class,
            description = "How long each component may take to start before the demo gives up (default ${DEFAULT-VALUE}).")
    Duration startTimeout;

    @Option(names = "--status-interval", defaultValue = "5s", converter = LoadMain.DurationConverter.class,
            description = "Time between status lines (default ${DEFAULT-VALUE}).")
    Duration statusInterval;

    @Option(names = "--job-option", paramLabel = "OPTION=VALUE",
            description = "An extra job option, e.g. --job-option window-size=5s (repeatable; overrides the demo's).")
    List<String> jobOptions = new ArrayList<>();

    @Option(names = "--agent-option", paramLabel = "KEY=VALUE",
            description = "An extra key of the agent's config, e.g. --agent-option cooldown=60s (repeatable; overrides the demo's).")
    List<String> agentOptions = new ArrayList<>();

    private final PrintStream out = System.out;
    private final ChildProcesses processes = new ChildProcesses();
    private final LoopState state = new LoopState();
    private final MemorySampler memory = new MemorySampler(processes::liveProcesses);
    private volatile ScenarioRunner runner;
    private volatile boolean finished;
    private volatile boolean stopped;

    @Override
    public Integer call() throws Exception {
        ScenarioConfig.requireConnections(connections); // before anything starts, not after
        int[] ports = {edge1Port, edge1AdminPort, edge2Port, edge2AdminPort};
        Path dir = stateDir != null ? stateDir : Path.of(System.getenv().getOrDefault("QP_STATE_DIR", ".qp"), "demo");
        DemoFiles.prepare(dir);
        List<Integer> needed = new ArrayList<>(List.of(ports[0], ports[1], ports[2], ports[3], upstreamPort));
        if (!noJob) {
            needed.add(webUiPort);
        }
        if (!noAgent) {
            needed.add(dashboardPort);
        }
        for (int p : needed) {
            if (Probes.inUse(p)) {
                throw new IllegalArgumentException("port " + p + " on 127.0.0.1 is taken: stop what uses it or choose other "
                        + "ports (--edge1-port, --edge1-admin-port, --edge2-port, --edge2-admin-port, --web-ui-port, "
                        + "--dashboard-port, --upstream-port)");
            }
        }
        Components components = new Components(qpHome, System.getenv());
        String token = DemoFiles.secret(dir.resolve("token"));
        String adminToken = DemoFiles.secret(dir.resolve("admin-token"));
        Thread hook = new Thread(this::onInterrupt, "qp-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "qp-demo-timer");
            t.setDaemon(true);
            return t;
        });
        timers.scheduleAtFixedRate(memory::sample, 0, 2, TimeUnit.SECONDS);
        TopicReader reader = null;
        try (SlowUpstream upstream = SlowUpstream.start(upstreamPort)) {
            say("state, logs and tokens in " + dir.toAbsolutePath());
            var broker = processes.start("broker", components.broker(DemoTopics.ALL), Map.of(), dir.resolve("logs/broker.log"));
            String bootstrap = ChildProcesses.awaitLine(broker, Pattern.compile("bootstrap=(\\S+)"), startTimeout);
            say("Kafka broker on " + bootstrap + " (pid " + broker.pid() + ")");
            // the job and the gateways start side by side (each JVM takes a while on a busy machine); then each is awaited
            ChildProcesses.Child jobChild = noJob ? null : startJob(components, bootstrap, dir);
            if (noJob) {
                say("no Flink job (--no-job)");
            }
            Map<String, URI> gateways = new LinkedHashMap<>();
            Map<String, URI> admins = new LinkedHashMap<>();
            List<ChildProcesses.Child> gatewayChildren = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                String node = "edge-" + (i + 1);
                gatewayChildren.add(startGateway(components, node, ports[2 * i], ports[2 * i + 1], bootstrap,
                        upstream.urlFor(node), dir));
                gateways.put(node, URI.create("ws://127.0.0.1:" + ports[2 * i] + "/qp"));
                admins.put(node, URI.create("http://127.0.0.1:" + ports[2 * i + 1]));
            }
            for (int i = 0; i < 2; i++) {
                ChildProcesses.Child gw = gatewayChildren.get(i);
                URI live = URI.create("http://127.0.0.1:" + ports[2 * i + 1] + "/health/live");
                ChildProcesses.await(gw, "its /health/live", c -> Probes.answers(live), startTimeout);
                say(gw.name() + " on ws://127.0.0.1:" + ports[2 * i] + "/qp, admin http://127.0.0.1:" + ports[2 * i + 1]
                        + " (pid " + gw.pid() + ")");
            }
            if (jobChild != null) {
                ChildProcesses.await(jobChild, "the Flink web UI answering on " + webUiPort, c -> Probes.inUse(webUiPort),
                        startTimeout);
                say("Flink job running (pid " + jobChild.pid() + "): web UI http://localhost:" + webUiPort);
            }
            boolean agent = !noAgent;
            if (agent) {
                startAgent(components, bootstrap, admins, dir);
            } else {
                say("no agent (--no-agent): recommendations are not applied, and the loop cannot close");
            }
            reader = new TopicReader(bootstrap, state);
            reader.start();
            AgentStore store = new AgentStore(dir.resolve("agent.db"));
            ScenarioScript script = ScenarioScript.parse(phases).scaledTo(duration);
            runner = new ScenarioRunner(new ScenarioConfig(gateways, token, "lookup", rate, connections, surgeConnections, 32,
                    script, 20261130L), upstream, phaseLog(dir));
            long start = System.currentTimeMillis();
            boolean agentUp = agent;
            timers.scheduleAtFixedRate(() -> printStatus(start, script, store, agentUp), statusInterval.toMillis(),
                    statusInterval.toMillis(), TimeUnit.MILLISECONDS);
            timers.scheduleAtFixedRate(this::watchChildren, 1, 1, TimeUnit.SECONDS);
            List<DemoReport.PlayedPhase> played = play();
            if (jobChild != null && !played.isEmpty()) {
                // the last windows reach the topics a window, the watermark delay and a checkpoint after the traffic
                long lastEnd = played.get(played.size() - 1).endMillis();
                say("scenario over: waiting up to 2 min for the job to publish the windows up to its end");
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
                while (state.latestWindowEndMillis() < lastEnd - 10_000 && System.nanoTime() < deadline && !finished) {
                    Thread.sleep(500);
                }
            }
            printStatus(start, script, store, agentUp);
            timers.shutdownNow();
            say("scenario over: stopping the processes");
            reader.finish();
            processes.stopAll();
            memory.sample();
            boolean[] closed = new boolean[1];
            String report = DemoReport.report(played, state, store.optimizations(), store.experiments(), agent, memory,
                    closed);
            out.println(report);
            Files.writeString(dir.resolve("report.txt"), report);
            finished = true;
            return closed[0] ? 0 : 1;
        } finally {
            timers.shutdownNow();
            if (reader != null) {
                reader.finish();
            }
            processes.stopAll();
            finished = true;
            stopped = true;
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down (Ctrl-C): the hook is running
            }
        }
    }

    private List<DemoReport.PlayedPhase> play() throws InterruptedException {
        List<DemoReport.PlayedPhase> played = new ArrayList<>();
        List<ScenarioRunner.PhaseResult> results = runner.run();
        for (int i = 0; i < results.size(); i++) {
            long[] span = phaseSpans.get(i);
            played.add(new DemoReport.PlayedPhase(results.get(i), span[0], span[1]));
        }
        return played;
    }

    private final List<long[]> phaseSpans = new ArrayList<>();

    private ScenarioRunner.Listener phaseLog(Path dir) {
        ScenarioRunner.Listener print = ScenarioMain.printer();
        return new ScenarioRunner.Listener() {
            @Override
            public void phaseStarted(int index, int of, ScenarioScript.Step step) {
                synchronized (phaseSpans) {
                    phaseSpans.add(new long[] {System.currentTimeMillis(), Long.MAX_VALUE});
                }
                print.phaseStarted(index, of, step);
            }

            @Override
            public void phaseEnded(int index, int of, ScenarioScript.Step step, PhaseCounts.Snapshot counts) {
                synchronized (phaseSpans) {
                    phaseSpans.get(index)[1] = System.currentTimeMillis();
                }
                print.phaseEnded(index, of, step, counts);
            }

            @Override
            public void note(String line) {
                print.note(line);
            }
        };
    }

    private ChildProcesses.Child startJob(Components components, String bootstrap, Path dir) throws IOException {
        Map<String, String> opts = new LinkedHashMap<>();
        opts.put("bootstrap-servers", bootstrap);
        opts.put("web-ui-port", String.valueOf(webUiPort));
        opts.put("starting-offsets", "earliest");
        opts.put("window-size", "5s");
        opts.put("checkpoint-interval", "5s");
        opts.put("warmup-windows", "3");
        opts.put("rule-sustain-windows", "2");
        // a rule's first proposal (after 2 windows) has confidence 0.7, under the agent's 0.8 gate; a rule that still
        // holds 2 windows later speaks again at 0.9 whatever this cool-down (RuleEngine), within the phase
        opts.put("recommendation-cooldown", "60s");
        opts.put("retrain-interval", "30s");
        opts.put("min-train-samples", "500");
        // each demo has a new broker: its job starts fresh, with its checkpoints in the demo's own state dir (a
        // checkpoint of an earlier demo holds offsets of that demo's broker)
        opts.put("checkpoint-dir", dir.resolve("checkpoints").toAbsolutePath().toUri().toString());
        opts.put("fresh", "");
        for (String o : jobOptions) {
            String[] kv = o.split("=", 2);
            opts.put(kv[0].replaceFirst("^--", ""), kv.length > 1 ? kv[1] : "");
        }
        List<String> args = new ArrayList<>();
        opts.forEach((k, v) -> {
            args.add("--" + k);
            if (!v.isEmpty()) {
                args.add(v);
            }
        });
        say("starting the Flink job: " + String.join(" ", args));
        return processes.start("job", components.job(args), Map.of(), dir.resolve("logs/job.log"));
    }

    private ChildProcesses.Child startGateway(Components components, String node, int port, int adminPort, String bootstrap,
            String upstream, Path dir) throws IOException {
        Path config = dir.resolve(node + ".json");
        Files.writeString(config, QpJson.string(QpJson.object().set("routes", QpJson.object().put("lookup", upstream))));
        List<String> args = List.of("--port", String.valueOf(port), "--admin-port", String.valueOf(adminPort),
                "--host", "127.0.0.1", "--node-id", node, "--kafka", bootstrap, "--spool-dir", dir.resolve("spool/" + node).toString(),
                "--config", config.toString(), "--token-file", dir.resolve("token").toString(),
                // its own state dir: parameters an earlier demo's agent changed must not come back (./qp-state/<node>)
                "--state-dir", dir.resolve("gateway-state/" + node).toString(),
                "--admin-token-file", dir.resolve("admin-token").toString());
        return processes.start(node, components.gateway(args), Map.of(), dir.resolve("logs/" + node + ".log"));
    }

    private void startAgent(Components components, String bootstrap, Map<String, URI> admins, Path dir)
            throws IOException, InterruptedException {
        var config = QpJson.object();
        var list = config.putArray("gateways");
        admins.forEach((node, url) -> list.addObject().put("nodeId", node).put("adminUrl", url.toString())
                .put("adminTokenFile", dir.resolve("admin-token").toAbsolutePath().toString()));
        // the agent's gates and guards as they ship; its cool-down is shorter, for a demo of minutes
        config.put("cooldown", "60s");
        // no verdict of gain before 45 s (compression's own minimum is 30 s): the latency guard can only see a harmful
        // change once the treatment is ramped to half the sessions, and on a loaded machine that window was judged
        // 31 s after the start, when the gain rule could already have kept the change on its bytes (BENCHMARKS.md)
        config.put("experiment-min-duration", "45s");
        for (String o : agentOptions) {
            String[] kv = o.split("=", 2);
            config.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        Path file = dir.resolve("agent.json");
        Files.writeString(file, QpJson.string(config));
        List<String> args = new ArrayList<>(List.of("--config", file.toString(), "--mode", "apply",
                "--db", dir.resolve("agent.db").toString(), "--kafka", bootstrap));
        args.addAll(List.of("--dashboard-port", String.valueOf(dashboardPort), "--dashboard-host", "127.0.0.1",
                "--dashboard-token-file", dir.resolve("admin-token").toString()));
        var agent = processes.start("agent", components.agent(args), Map.of(), dir.resolve("logs/agent.log"));
        Path db = dir.resolve("agent.db");
        ChildProcesses.await(agent, "its store " + db, c -> Files.exists(db), startTimeout);
        say("agent running (pid " + agent.pid() + "), store " + db + ", dashboard http://localhost:" + dashboardPort
                + " (admin token in " + dir.resolve("admin-token") + ")");
    }

    private void printStatus(long start, ScenarioScript script, AgentStore store, boolean agent) {
        try {
            long s = (System.currentTimeMillis() - start) / 1000;
            String clock = String.format(Locale.ROOT, "%02d:%02d/%02d:%02d", s / 60, s % 60, script.total().toSeconds() / 60,
                    script.total().toSeconds() % 60);
            ScenarioRunner r = runner;
            int i = r == null ? -1 : r.currentPhase();
            String phase;
            if (i < 0) {
                phase = "starting";
            } else if (i >= script.steps().size()) {
                phase = "scenario over";
            } else {
                ScenarioScript.Step step = script.steps().get(i);
                phase = String.format(Locale.ROOT, "phase %d/%d %s %d%%", i + 1, script.steps().size(), step.phase().id(),
                        Math.min(100, Math.round(100 * r.phaseSeconds() / Math.max(1, step.duration().toSeconds()))));
            }
            out.println(DemoReport.status(clock, phase, state, store.optimizations(), store.experiments(), agent, memory));
            out.flush();
        } catch (RuntimeException e) {
            out.println("[demo] status unavailable: " + e.getMessage());
        }
    }

    private void watchChildren() {
        processes.exited().ifPresent(c -> {
            if (!finished) {
                say(c.name() + " exited with code " + c.process().exitValue() + " (see " + c.log() + "): stopping the demo");
                finished = true;
                ScenarioRunner r = runner;
                if (r != null) {
                    r.stop();
                }
            }
        });
    }

    private void onInterrupt() {
        if (stopped) {
            return;
        }
        ScenarioRunner r = runner;
        if (r != null) {
            r.stop();
        }
        int n = processes.liveProcesses().size();
        say("interrupted: stopping " + n + " process(es)");
        processes.stopAll();
        say("stopped; " + processes.liveProcesses().size() + " left running");
    }

    private void say(String line) {
        out.println("qp demo: " + line);
        out.flush();
    }

    public static void main(String[] args) {
        System.exit(cli().execute(args));
    }

    /** The command line as {@code qp demo} runs it: an error while running is one line on stderr and exit code 2. */
    static CommandLine cli() {
        CommandLine cli = new CommandLine(new DemoMain());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("qp demo: " + e.getMessage());
            return 2;
        });
        return cli;
    }
}
