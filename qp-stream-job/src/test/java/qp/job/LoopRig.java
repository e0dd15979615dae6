package qp.job;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import qp.agent.TuningAgent;
import qp.agent.config.AgentConfig;
import qp.options.TypedOption;
import qp.agent.config.AgentOptions;
import qp.agent.config.GatewayEntry;
import qp.gateway.GatewayConfig;
import qp.gateway.GatewayServer;
import qp.gateway.events.KafkaEmitterConfig;
import qp.gateway.events.KafkaEventEmitter;
import qp.job.config.JobOptions;
import qp.protocol.analytics.Recommendation;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.FrameEventCodec;
import qp.protocol.json.QpJson;
import qp.protocol.params.TunableParameter;
import qp.broker.EmbeddedKafka;
import qp.testsupport.kafka.KafkaRecords;

/**
 * The whole loop on real parts for one test: the job on the test's MiniCluster (1 s windows), a gateway whose frame
 * events and node samples go to the job's topics through its Kafka emitter, and the agent (in this JVM, or as its own
 * process) with its SQLite store, reading recommendations from a topic only the test writes.
 */
final class LoopRig implements AutoCloseable {
    static final String NODE = "edge-1";
    static final String CLIENT_TOKEN = "loop-client";
    static final String ADMIN_TOKEN = "loop-admin";

    final EmbeddedKafka kafka;
    final JobHarness job;
    final Path dir;
    final GatewayServer gateway;
    final String recommendationsTopic;
    private final KafkaEventEmitter emitter;
    private final JobClient jobClient;
    private TuningAgent agent;
    private Process agentProcess;

    LoopRig(EmbeddedKafka kafka, Path dir, String id, Map<TunableParameter, Long> gatewayParams) throws Exception {
        this.kafka = kafka;
        this.dir = dir;
        this.job = JobHarness.create(kafka, id, 2, "--idle-timeout", "2s");
        this.recommendationsTopic = id + ".agent-recommendations";
        kafka.createTopics(recommendationsTopic, id + ".control");
        this.jobClient = job.start(0, s -> s);
        this.emitter = new KafkaEventEmitter(new KafkaEmitterConfig(kafka.bootstrapServers(),
                job.topic(JobOptions.FRAMES_TOPIC), job.topic(JobOptions.NODE_METRICS_TOPIC), dir.resolve("spool"),
                256L << 20, 200_000), new SimpleMeterRegistry());
        GatewayConfig.Builder b = GatewayConfig.builder().host("127.0.0.1").port(0).adminHost("127.0.0.1").adminPort(0)
                .nodeId(NODE).clientToken(CLIENT_TOKEN).adminToken(ADMIN_TOKEN).ioThreads(2)
                .metricsInterval(Duration.ofSeconds(1)).shutdownGrace(Duration.ofSeconds(2))
                .stateDir(dir.resolve("gateway-state"));
        gatewayParams.forEach(b::param);
        this.gateway = GatewayServer.start(b.build(), emitter);
    }

    URI qpUri() {
        return URI.create("ws://127.0.0.1:" + gateway.port() + "/qp");
    }

    /** The agent's options: the job's topics, short experiment durations for a test, everything else default. */
    Map<String, String> agentOptions(Map<String, String> overrides) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("kafka", kafka.bootstrapServers());
        o.put("db", dir.resolve("agent.db").toString());
        o.put("group-id", job.id + "-agent");
        o.put("frames-topic", job.topic(JobOptions.FRAMES_TOPIC));
        o.put("node-metrics-topic", job.topic(JobOptions.NODE_METRICS_TOPIC));
        o.put("window-stats-topic", job.topic(JobOptions.WINDOW_STATS_TOPIC));
        o.put("anomalies-topic", job.topic(JobOptions.ANOMALIES_TOPIC));
        o.put("bigrams-topic", job.topic(JobOptions.BIGRAMS_TOPIC));
        o.put("models-topic", job.id + ".models");
        o.put("recommendations-topic", recommendationsTopic);
        o.put("experiment-stats-topic", job.topic(JobOptions.EXPERIMENT_STATS_TOPIC));
        o.put("control-topic", job.id + ".control");
        o.put("dashboard-port", "-1");
        o.put("tick-interval", "200ms");
        o.put("message-log-sample", "0");
        o.put("cooldown", "0s");
        o.put("experiment-settle", "2s");
        o.put("experiment-min-duration", "8s");
        o.put("experiment-max-duration", "40s");
        o.putAll(overrides);
        return o;
    }

    void startAgent(Map<String, String> overrides) {
        AgentConfig c = AgentConfig.defaults().withGateways(List.of(new GatewayEntry(NODE, gateway.adminUri(), ADMIN_TOKEN)));
        for (Map.Entry<String, String> e : agentOptions(overrides).entrySet()) {
            c = with(c, AgentOptions.byName(e.getKey()), e.getValue());
        }
        agent = TuningAgent.start(c, Clock.systemUTC());
    }

    private static <T> AgentConfig with(AgentConfig c, TypedOption<T> o, String value) {
        return c.with(o, o.parse(value));
    }

    /** The agent as an operator runs it: {@code qp.agent.AgentMain --config FILE}, its own JVM. */
    Process startAgentProcess(Map<String, String> overrides) throws Exception {
        Path token = Files.writeString(dir.resolve("admin-token"), ADMIN_TOKEN);
        var config = QpJson.object();
        config.putArray("gateways").addObject().put("nodeId", NODE).put("adminUrl", gateway.adminUri().toString())
                .put("adminTokenFile", token.toString());
        agentOptions(overrides).forEach(config::put);
        Path file = Files.writeString(dir.resolve("agent.json"), QpJson.string(config));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dlog4j2.configurationFile=log4j2.xml", // the agent's own, not this module's test config
                "-cp", System.getProperty("java.class.path"), "qp.agent.AgentMain", "--config",
                file.toString()));
        agentProcess = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("agent.log").toFile())).start();
        return agentProcess;
    }

    /** Offers a recommendation to the agent as the job would. */
    void recommend(Recommendation r) {
        KafkaRecords.send(kafka.bootstrapServers(), recommendationsTopic, List.of(KafkaRecords.record(
                recommendationsTopic, r.nodeId() + "/" + r.parameter(), QpJson.bytes(r))));
    }

    static Recommendation recommendation(String parameter, long current, long proposed, long paramVersion, String target,
            long at) {
        String id = Recommendation.idFor(NODE, parameter, current, proposed, paramVersion, "rules", "loop-test-" + at);
        return new Recommendation(id, NODE, parameter, current, proposed, 0.9, 0.3, target, "rules", "rules-v1",
                "loop-test", "offered by the test", paramVersion, at);
    }

    /** One row of the agent's store, column name to value (null when no row, or no store yet). */
    Map<String, Object> row(String sql) throws Exception {
        if (!Files.exists(dir.resolve("agent.db"))) {
            return null;
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("agent.db"));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            if (!rs.next()) {
                return null;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                m.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
            }
            return m;
        } catch (java.sql.SQLException e) {
            if (e.getMessage().contains("no such table")) {
                return null; // the agent process has not migrated its new store yet
            }
            throw e;
        }
    }

    /** Every frame event of the experiment, as the gateway wrote it to Kafka. */
    List<FrameEvent> framesOf(String experimentId) throws Exception {
        List<FrameEvent> out = new ArrayList<>();
        for (var r : KafkaRecords.readToEnd(kafka.bootstrapServers(), job.topic(JobOptions.FRAMES_TOPIC), false)) {
            FrameEvent f = FrameEventCodec.decode(r.value());
            if (experimentId.equals(f.experimentId())) {
                out.add(f);
            }
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        if (agentProcess != null && agentProcess.isAlive()) {
            agentProcess.destroyForcibly().waitFor();
        }
        Path log = dir.resolve("agent.log");
        if (Files.exists(log)) { // the agent process's own words, for whoever reads a failed run
            List<String> lines = Files.readAllLines(log);
            System.out.println("---- agent.log (last 40 of " + lines.size() + " lines)");
            lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(System.out::println);
            System.out.println("---- store: " + row("SELECT (SELECT COUNT(*) FROM experiment_windows) AS windows, "
                    + "(SELECT COUNT(*) FROM performance_metrics) AS metrics"));
        }
        if (agent != null) {
            agent.close();
        }
        gateway.close();
        emitter.close();
        jobClient.cancel().get();
    }
}
