package qp.bench.scenario;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import qp.bench.load.LoadMain;
import qp.protocol.json.QpJson;

/** {@code bin/qp scenario}: plays the demo's scripted phases against one or more gateways and prints each transition. */
@Command(name = "qp scenario", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Plays scripted traffic against gateways on this machine: normal mixed traffic, large compressible",
                "payloads, a connection surge past max_connections, a slow upstream, and large poorly compressible",
                "payloads to the last gateway (bulky). It only makes traffic: nothing in it watches the gateways.",
                "The gateways forward the routed op (--route-op) to this process's upstream: give each one",
                "routes.<op>=http://127.0.0.1:<upstream-port>/lookup/<node-id> in its config."})
public final class ScenarioMain implements Callable<Integer> {
    @Option(names = "--gateway", paramLabel = "NODE=URL", required = true,
            description = "A gateway: node id and QP URL, e.g. edge-1=ws://127.0.0.1:9999/qp (repeat for more).")
    Map<String, URI> gateways = new LinkedHashMap<>();

    @Option(names = "--phases", defaultValue = ScenarioScript.DEFAULT,
            description = "Phases and durations, in order (default ${DEFAULT-VALUE}).")
    String phases;

    @Option(names = "--duration", converter = LoadMain.DurationConverter.class,
            description = "Scale the phases to add up to this, e.g. 2m (default: as --phases says).")
    Duration duration;

    @Option(names = "--rate", defaultValue = "100", description = "Requests per second per gateway (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--connections", defaultValue = "16",
            description = "Connections per gateway per phase (default ${DEFAULT-VALUE}: enough sessions for both arms of an experiment).")
    int connections;

    @Option(names = "--surge-connections", defaultValue = "150",
            description = "Connections the surge opens to the first gateway (default ${DEFAULT-VALUE}; the default max_connections is 100).")
    int surgeConnections;

    @Option(names = "--max-in-flight", defaultValue = "32", description = "Requests outstanding per connection (default ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--route-op", defaultValue = "lookup", description = "The routed op (default ${DEFAULT-VALUE}).")
    String routeOp;

    @Option(names = "--upstream-port", defaultValue = "9990", description = "Port of the scenario's upstream on 127.0.0.1 (default ${DEFAULT-VALUE}).")
    int upstreamPort;

    @Option(names = "--token-file", description = "File holding the client token (else env QP_TOKEN).")
    Path tokenFile;

    @Option(names = "--seed", defaultValue = "20261130", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print the per-phase counts as one JSON object at the end.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        for (URI u : gateways.values()) {
            if (!"ws".equals(u.getScheme()) && !"wss".equals(u.getScheme())) {
                throw new IllegalArgumentException("--gateway wants a ws:// URL, got " + u);
            }
        }
        ScenarioScript script = ScenarioScript.parse(phases);
        if (duration != null) {
            script = script.scaledTo(duration);
        }
        ScenarioConfig config = new ScenarioConfig(gateways, secret(tokenFile, "QP_TOKEN"), routeOp, rate, connections,
                surgeConnections, maxInFlight, script, seed);
        try (SlowUpstream upstream = SlowUpstream.start(upstreamPort)) {
            say("upstream for op '" + routeOp + "' on http://127.0.0.1:" + upstream.port() + "/lookup/<node-id>");
            ScenarioRunner runner = new ScenarioRunner(config, upstream, printer());
            Thread main = Thread.currentThread();
            Thread hook = new Thread(() -> {
                runner.stop();
                try {
                    main.join(20_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "qp-scenario-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            List<ScenarioRunner.PhaseResult> results = runner.run();
            if (json) {
                System.out.println(QpJson.string(toJson(results)));
            }
            return results.isEmpty() ? 1 : 0;
        }
    }

    static ObjectNode toJson(List<ScenarioRunner.PhaseResult> results) {
        ObjectNode root = QpJson.object();
        ArrayNode phases = root.putArray("phases");
        for (ScenarioRunner.PhaseResult r : results) {
            ObjectNode p = r.counts().toJson();
            p.put("phase", r.step().phase().id()).put("seconds", r.step().duration().toMillis() / 1000.0);
            phases.add(p);
        }
        return root;
    }

    /** Prints transitions as "qp-scenario: ..." lines on stdout, for people and for the demo's log. */
    public static ScenarioRunner.Listener printer() {
        return new ScenarioRunner.Listener() {
            @Override
            public void phaseStarted(int index, int of, ScenarioScript.Step step) {
                say(String.format(Locale.ROOT, "phase %d/%d %s (%d s): %s", index + 1, of, step.phase().id(),
                        step.duration().toSeconds(), step.phase().description()));
            }

            @Override
            public void phaseEnded(int index, int of, ScenarioScript.Step step, PhaseCounts.Snapshot counts) {
                say("phase " + step.phase().id() + " done: " + counts.line());
            }

            @Override
            public void note(String line) {
                say(line);
            }
        };
    }

    private static void say(String line) {
        System.out.println("qp-scenario: " + line);
        System.out.flush();
    }

    private static String secret(Path file, String env) throws IOException {
        if (file != null) {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        String v = System.getenv(env);
        return v == null ? null : v.strip();
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new ScenarioMain());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("qp scenario: " + e.getMessage());
            return 2;
        });
        System.exit(cli.execute(args));
    }
}
