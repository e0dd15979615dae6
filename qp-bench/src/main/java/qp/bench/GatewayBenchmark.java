package qp.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import qp.bench.load.LoadMain;
import qp.protocol.json.QpJson;

/**
 * The gateway benchmark in one run: a Kafka broker, the bare server and the real gateway (frame events to that
 * broker) each in a JVM of its own, then rounds that alternate which target goes first, each driven by the same load
 * generator (a fresh JVM per load run). Reports per-round figures, medians, the throughput ratio and the p99 ratio,
 * and how many frame events reached Kafka.
 */
@Command(name = "gateway-benchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Bare Undertow QP server vs the gateway with frame events to Kafka, side by side, alternating rounds.")
public final class GatewayBenchmark implements Callable<Integer> {
    @Option(names = "--rounds", defaultValue = "3", description = "Rounds; each runs every target once (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--duration", defaultValue = "10s", description = "Measured window per load run (default ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--warmup", defaultValue = "3s", description = "Warm-up per load run (default ${DEFAULT-VALUE}).")
    String warmup;

    @Option(names = "--connections", defaultValue = "32", description = "Default ${DEFAULT-VALUE}.")
    int connections;

    @Option(names = "--in-flight", defaultValue = "8", description = "Default ${DEFAULT-VALUE}.")
    int inFlight;

    @Option(names = "--payload-bytes", defaultValue = "64", description = "Default ${DEFAULT-VALUE}.")
    int payloadBytes;

    @Option(names = "--mix", defaultValue = "echo=1,ping=0,data=0,stream=0", description = "Default ${DEFAULT-VALUE}.")
    String mix;

    @Option(names = "--client", defaultValue = "undertow", description = "Load generator client (default ${DEFAULT-VALUE}).")
    String client;

    @Option(names = "--client-threads", defaultValue = "1", description = "Default ${DEFAULT-VALUE}.")
    int clientThreads;

    @Option(names = "--targets", defaultValue = "bare,gateway", split = ",",
            description = "Which targets to run: bare, gateway, gateway-no-events (the gateway with its events discarded, "
                    + "to show what the event pipeline costs), gateway-arms (the gateway with an experiment on every "
                    + "session, see --arms-experiment) (default ${DEFAULT-VALUE}).")
    List<String> targets;

    @Option(names = "--server-jvm-args", defaultValue = "-Xms512m -Xmx512m",
            description = "JVM options of both servers, identical for fairness (default ${DEFAULT-VALUE}).")
    String serverJvmArgs;

    @Option(names = "--jfr", split = ",", defaultValue = "",
            description = "Targets to profile with JFR over each measured window (jcmd JFR.start/stop; a profiling run: JFR and jcmd cost CPU).")
    List<String> jfrTargets;

    @Option(names = "--async-profiler", description = "With --jfr: profile with this libasyncProfiler.so instead of JFR "
            + "(loaded over each measured window with jcmd JVMTI.agent_load; writes collapsed stacks).")
    Path asyncProfiler;

    @Option(names = "--gateway-producer", defaultValue = "",
            description = "Kafka producer properties for the gateway's emitter over its defaults, to compare settings, "
                    + "e.g. compression.type=none,linger.ms=50 (default: the emitter's own).")
    String gatewayProducer;

    @Option(names = "--arms-experiment", defaultValue = "{\"id\":\"bench-arms\",\"parameter\":\"buffer_size\","
            + "\"treatment\":16384,\"treatmentShare\":0.5}",
            description = "Target gateway-arms: the gateway with this experiment running on every session (an arm per "
                    + "session, three more fields per frame event); default: buffer_size 16384 B for half the sessions.")
    String armsExperiment;

    private List<String> gatewayArgs(String bootstrap) {
        List<String> args = new ArrayList<>(List.of("--port", String.valueOf(gatewayPort),
                "--admin-port", String.valueOf(gatewayAdminPort), "--bootstrap", bootstrap));
        if (!gatewayProducer.isBlank()) {
            args.addAll(List.of("--producer", gatewayProducer));
        }
        return args;
    }

    @Option(names = "--warmup-rounds", defaultValue = "1",
            description = "Unrecorded rounds first, so the servers' JIT is warm for the recorded ones (default ${DEFAULT-VALUE}).")
    int warmupRounds;

    @Option(names = "--out", defaultValue = "qp-bench/target/gateway-benchmark", description = "Directory for logs and results (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--bare-port", defaultValue = "9997", description = "Default ${DEFAULT-VALUE}.")
    int barePort;

    @Option(names = "--gateway-port", defaultValue = "9999", description = "Default ${DEFAULT-VALUE}.")
    int gatewayPort;

    @Option(names = "--no-events-port", defaultValue = "9995", description = "Default ${DEFAULT-VALUE}.")
    int noEventsPort;

    @Option(names = "--gateway-admin-port", defaultValue = "9996", description = "Default ${DEFAULT-VALUE}.")
    int gatewayAdminPort;

    @Option(names = "--arms-port", defaultValue = "9994", description = "Default ${DEFAULT-VALUE}.")
    int armsPort;

    static final String NO_EVENTS = "gateway-no-events";
    static final String ARMS = "gateway-arms";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<ChildJvm> servers = new ArrayList<>();
    private ChildJvm broker;

    @Override
    public Integer call() throws Exception {
        Path dir = out.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(dir);
        String clientToken = "bench-" + UUID.randomUUID();
        String adminToken = "bench-admin-" + UUID.randomUUID();
        List<String> serverJvm = Arrays.asList(serverJvmArgs.trim().split("\\s+"));
        Map<String, Integer> ports = new LinkedHashMap<>();
        Map<String, ChildJvm> byTarget = new LinkedHashMap<>();
        List<RoundResult> results = new ArrayList<>();
        String bootstrap = null;
        long events = -1;
        Thread cleanup = new Thread(this::stopAll, "gateway-benchmark-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            if (targets.contains("gateway")) {
                StringBuilder bs = new StringBuilder();
                broker = ChildJvm.start("broker", ChildJvm.javaCommand(List.of("-Xmx768m"),
                        "qp.bench.broker.BenchBrokerMain", List.of()), Map.of(), dir.resolve("broker.log"),
                        Pattern.compile("bootstrap=(\\S+)"), Duration.ofSeconds(90), bs);
                bootstrap = bs.toString();
                log("broker up at " + bootstrap + " (pid " + broker.pid() + ")");
            }
            if (targets.contains("bare")) {
                ChildJvm bare = ChildJvm.start("bare", ChildJvm.javaCommand(serverJvm, "qp.bench.bare.BareServerMain",
                                List.of("--port", String.valueOf(barePort))), Map.of(), dir.resolve("bare.log"),
                        Pattern.compile("listening"), Duration.ofSeconds(30), new StringBuilder());
                servers.add(bare);
                byTarget.put("bare", bare);
                ports.put("bare", barePort);
                log("bare server up on " + barePort + " (pid " + bare.pid() + ")");
            }
            if (targets.contains("gateway")) {
                ChildJvm gw = ChildJvm.start("gateway", ChildJvm.javaCommand(serverJvm, "qp.bench.gateway.GatewayTargetMain",
                                gatewayArgs(bootstrap)),
                        Map.of("QP_TOKEN", clientToken, "QP_ADMIN_TOKEN", adminToken), dir.resolve("gateway.log"),
                        Pattern.compile("^listening"), Duration.ofSeconds(60), new StringBuilder());
                servers.add(gw);
                byTarget.put("gateway", gw);
                ports.put("gateway", gatewayPort);
                log("gateway up on " + gatewayPort + " with events to " + bootstrap + " (pid " + gw.pid() + ")");
            }
            if (targets.contains(ARMS)) {
                List<String> args = new ArrayList<>(gatewayArgs(bootstrap));
                args.set(args.indexOf("--port") + 1, String.valueOf(armsPort));
                args.set(args.indexOf("--admin-port") + 1, "0");
                args.addAll(List.of("--experiment", armsExperiment));
                ChildJvm gw = ChildJvm.start(ARMS, ChildJvm.javaCommand(serverJvm, "qp.bench.gateway.GatewayTargetMain",
                                args), Map.of("QP_TOKEN", clientToken, "QP_ADMIN_TOKEN", adminToken),
                        dir.resolve(ARMS + ".log"), Pattern.compile("^listening"), Duration.ofSeconds(60),
                        new StringBuilder());
                servers.add(gw);
                byTarget.put(ARMS, gw);
                ports.put(ARMS, armsPort);
                log("gateway with an experiment on every session up on " + armsPort + " (pid " + gw.pid() + ")");
            }
            if (targets.contains(NO_EVENTS)) {
                ChildJvm gw = ChildJvm.start(NO_EVENTS, ChildJvm.javaCommand(serverJvm, "qp.bench.gateway.GatewayTargetMain",
                                List.of("--port", String.valueOf(noEventsPort), "--admin-port", "0", "--no-events")),
                        Map.of("QP_TOKEN", clientToken, "QP_ADMIN_TOKEN", adminToken), dir.resolve(NO_EVENTS + ".log"),
                        Pattern.compile("^listening"), Duration.ofSeconds(60), new StringBuilder());
                servers.add(gw);
                byTarget.put(NO_EVENTS, gw);
                ports.put(NO_EVENTS, noEventsPort);
                log("gateway with events discarded up on " + noEventsPort + " (pid " + gw.pid() + ")");
            }
            List<String> order = new ArrayList<>(ports.keySet());
            for (int round = 1 - warmupRounds; round <= rounds; round++) {
                for (String target : order) {
                    settle();
                    RoundResult r = loadRun(round, target, ports.get(target), byTarget.get(target), clientToken, dir);
                    if (round < 1) {
                        log(String.format(Locale.ROOT, "warm-up round %-7s %8.0f replies/s (not recorded)", target, r.repliesPerSec()));
                        continue;
                    }
                    results.add(r);
                    log(String.format(Locale.ROOT, "round %d %-7s %8.0f replies/s  p50 %6.0f us  p99 %6.0f us  "
                                    + "CPU/reply server %.1f us broker %.1f us client %.1f us  other load %.2f cores%s",
                            round, target, r.repliesPerSec(), r.p50Micros(), r.p99Micros(), r.serverCpuMicrosPerReply(),
                            r.brokerCpuMicrosPerReply(), r.clientCpuMicrosPerReply(), r.otherCpuCores(),
                            r.eventsDropped() >= 0 ? "  events dropped " + r.eventsDropped() : ""));
                }
                if (round >= 1) {
                    java.util.Collections.reverse(order); // alternate who goes first
                }
            }
            servers.forEach(ChildJvm::close); // the gateway flushes its emitter and prints its counters
            if (bootstrap != null) {
                events = countEvents(bootstrap, "qp.frames");
            }
        } finally {
            stopAll();
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
        String emitter = byTarget.containsKey("gateway") ? lastLine(byTarget.get("gateway").log, "emitter ") : null;
        ObjectNode summary = BenchmarkReport.summarize(this, results, emitter, events);
        Files.writeString(dir.resolve("summary.json"), QpJson.mapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(summary));
        System.out.println(BenchmarkReport.text(this, results, summary));
        log("logs and summary.json in " + dir);
        return 0;
    }

    private RoundResult loadRun(int round, String target, int port, ChildJvm server, String token, Path dir)
            throws IOException, InterruptedException {
        List<String> args = List.of("--url", "ws://127.0.0.1:" + port + "/qp", "--connections", String.valueOf(connections),
                "--in-flight", String.valueOf(inFlight), "--duration", duration, "--warmup", warmup, "--mix", mix,
                "--payload-bytes", String.valueOf(payloadBytes), "--client", client,
                "--client-threads", String.valueOf(clientThreads), "--json", "--progress");
        ProcessBuilder pb = new ProcessBuilder(ChildJvm.javaCommand(List.of("-Xmx512m"), LoadMain.class.getName(), args))
                .redirectErrorStream(true);
        pb.environment().put("QP_TOKEN", token);
        Process p = pb.start();
        double[] start = null;
        double[] end = null;
        JsonNode json = null;
        long droppedBefore = -1;
        long droppedAfter = -1;
        Path log = dir.resolve((round < 1 ? "warmup-" + (1 - round) : "load-" + round) + "-" + target + ".log");
        boolean profile = round >= 1 && jfrTargets.contains(target);
        String recording = "qpbench-" + round + "-" + target;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter w = new PrintWriter(Files.newBufferedWriter(log))) {
            for (String line; (line = in.readLine()) != null; ) {
                w.println(line);
                if (line.equals("qp-load: measuring")) {
                    if (profile && asyncProfiler != null) {
                        jcmd(server, "JVMTI.agent_load", asyncProfiler.toAbsolutePath().toString(),
                                "\"start,event=cpu,interval=1ms,threads\""); // quoted: jcmd splits on '=' 
                    } else if (profile) {
                        jcmd(server, "JFR.start", "name=" + recording, "settings=profile");
                    }
                    start = cpuSnapshot(server);
                    droppedBefore = target.equals("gateway") ? emitterDropped() : -1;
                } else if (line.equals("qp-load: measured")) {
                    end = cpuSnapshot(server);
                    droppedAfter = target.equals("gateway") ? emitterDropped() : -1;
                    if (profile && asyncProfiler != null) {
                        jcmd(server, "JVMTI.agent_load", asyncProfiler.toAbsolutePath().toString(),
                                "\"stop,collapsed,file=" + dir.resolve(recording + ".collapsed").toAbsolutePath() + "\"");
                    } else if (profile) {
                        jcmd(server, "JFR.stop", "name=" + recording, "filename=" + dir.resolve(recording + ".jfr").toAbsolutePath());
                    }
                } else if (line.startsWith("{")) {
                    json = QpJson.tree(line.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        if (json == null || start == null || end == null) {
            throw new IllegalStateException("load run " + round + " against " + target + " gave no result; see " + log);
        }
        long replies = json.get("replies").asLong();
        double perReply = replies == 0 ? Double.NaN : 1e6 / replies;
        double clientCpu = json.get("clientCpuSeconds").asDouble();
        double seconds = json.get("seconds").asDouble();
        double ours = (end[1] - start[1]) + (end[2] - start[2]) + (end[3] - start[3]) + clientCpu;
        JsonNode lat = json.get("roundTripMicros");
        return new RoundResult(round, target, json.get("repliesPerSec").asDouble(), lat.get("p50").asDouble(),
                lat.get("p95").asDouble(), lat.get("p99").asDouble(), lat.get("max").asDouble(),
                json.get("errors").asLong() + json.get("unmatched").asLong() + json.get("sendFailures").asLong(),
                json.get("closes").asLong(), (end[1] - start[1]) * perReply, (end[2] - start[2]) * perReply,
                json.get("clientCpuMicrosPerReply").asDouble(), ((end[0] - start[0]) - ours) / seconds,
                droppedBefore < 0 || droppedAfter < 0 ? -1 : droppedAfter - droppedBefore);
    }

    private static void jcmd(ChildJvm jvm, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(jvm.pid())));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }

    /** Frame events the gateway's emitter has dropped since start, from its admin health endpoint (-1 if unknown). */
    private long emitterDropped() {
        try {
            HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + gatewayAdminPort + "/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return QpJson.tree(r.body()).path("dropped").asLong(-1);
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** [machine busy, this target's server, broker, the other servers] CPU seconds. */
    private double[] cpuSnapshot(ChildJvm server) {
        double others = 0;
        for (ChildJvm s : servers) {
            if (s != server) {
                others += s.cpuSeconds();
            }
        }
        return new double[] {MachineCpu.busySeconds(), server.cpuSeconds(), broker == null ? 0 : broker.cpuSeconds(), others};
    }

    /** Waits until the servers and the broker are quiet (the gateway's emitter may still be sending a backlog). */
    private void settle() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            double before = ownCpu();
            Thread.sleep(500);
            if (ownCpu() - before < 0.1) {
                return;
            }
        }
        log("servers still busy after 60 s; running anyway");
    }

    private double ownCpu() {
        double sum = broker == null ? 0 : broker.cpuSeconds();
        for (ChildJvm s : servers) {
            sum += s.cpuSeconds();
        }
        return sum;
    }

    private void stopAll() {
        for (ChildJvm s : servers) {
            s.close(); // the gateway first flushes its emitter and prints its counters
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** Records in the topic: the sum of its partitions' end offsets. */
    private static long countEvents(String bootstrap, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(i -> i.offset()).sum();
        } catch (Exception e) {
            log("cannot count the events in " + topic + ": " + e.getMessage());
            return -1;
        }
    }

    private static String lastLine(Path log, String prefix) throws IOException {
        String found = null;
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.startsWith(prefix)) {
                found = line;
            }
        }
        return found;
    }

    private static void log(String message) {
        System.err.println("[gateway-benchmark] " + message);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new GatewayBenchmark()).execute(args));
    }
}
