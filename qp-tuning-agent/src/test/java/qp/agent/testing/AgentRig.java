package qp.agent.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import qp.broker.EmbeddedKafka;
import qp.protocol.analytics.ExperimentStats;
import qp.protocol.analytics.Recommendation;
import qp.protocol.json.QpJson;
import qp.testsupport.kafka.KafkaRecords;

/**
 * A real gateway (in this JVM, reached only over its admin API), topics of their own on the shared in-process broker,
 * and agents as separate processes ({@link AgentProcess}) on one SQLite file: the test writes what the job would
 * write, and reads the store as a file. {@link #close()} kills every agent still running, then stops the gateway.
 */
public final class AgentRig implements AutoCloseable {
    public static final String NODE = "edge-1";
    private static final List<String> TOPIC_OPTIONS = List.of("frames-topic", "node-metrics-topic",
            "window-stats-topic", "anomalies-topic", "bigrams-topic", "models-topic", "recommendations-topic",
            "experiment-stats-topic", "control-topic");

    public final Path dir;
    public final Path db;
    public final RunningGateway gw;
    public final GatewayAdmin admin;
    private final EmbeddedKafka kafka = EmbeddedKafka.shared();
    private final String prefix = "p" + UUID.randomUUID().toString().substring(0, 8) + ".";
    private final Path config;
    private final List<AgentProcess> agents = new ArrayList<>();

    public AgentRig(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.db = dir.resolve("agent.db");
        this.gw = RunningGateway.start(NODE, dir.resolve("gw"));
        this.admin = GatewayAdmin.of(gw);
        Path token = dir.resolve("admin-token");
        Files.writeString(token, RunningGateway.ADMIN_TOKEN);
        this.config = dir.resolve("agent.json");
        Files.writeString(config, QpJson.string(QpJson.object().set("gateways", QpJson.mapper().createArrayNode()
                .add(QpJson.object().put("nodeId", NODE).put("adminUrl", gw.adminUrl().toString())
                        .put("adminTokenFile", token.toString())))));
        kafka.createTopics(TOPIC_OPTIONS.stream().map(this::topic).toArray(String[]::new));
    }

    /** The topic of an option ({@code recommendations-topic} -> this rig's own {@code qp.recommendations}). */
    public String topic(String option) {
        return prefix + "qp." + option.substring(0, option.length() - "-topic".length());
    }

    /**
     * An agent process on this rig's gateway, broker and store: ticks every 100 ms, no dashboard unless {@code more}
     * asks for one; {@code crashPoint} null for none.
     */
    public AgentProcess agent(String name, String crashPoint, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("--config", config.toString(), "--db", db.toString(),
                "--kafka", kafka.bootstrapServers(), "--group-id", prefix + "agent", "--tick-interval", "100ms"));
        if (!List.of(more).contains("--dashboard-port")) {
            args.addAll(List.of("--dashboard-port", "-1"));
        }
        for (String o : TOPIC_OPTIONS) {
            args.addAll(List.of("--" + o, topic(o)));
        }
        args.addAll(List.of(more));
        AgentProcess p = AgentProcess.start(name, crashPoint, args, dir.resolve(name + ".log"));
        agents.add(p);
        return p;
    }

    /** A recommendation on the recommendations topic, as the job publishes it. */
    public void publish(Recommendation r) {
        String t = topic("recommendations-topic");
        KafkaRecords.send(kafka.bootstrapServers(), t, List.of(KafkaRecords.record(t, r.nodeId(), QpJson.bytes(r))));
    }

    /** Per-arm windows on the experiment-stats topic, as the job publishes them. */
    public void publishWindows(List<ExperimentStats> windows) {
        String t = topic("experiment-stats-topic");
        KafkaRecords.send(kafka.bootstrapServers(), t, windows.stream()
                .map(w -> KafkaRecords.record(t, w.nodeId(), QpJson.bytes(w))).toList());
    }

    /** One value of the store (null when there is no such row, or no store yet). */
    public String text(String sql, String arg) throws SQLException {
        if (!Files.exists(db)) {
            return null;
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, arg);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    public String optimization(Recommendation r, String column) throws SQLException {
        return text("SELECT " + column + " FROM optimizations WHERE recommendation_id = ?", r.id());
    }

    public String experiment(Recommendation r, String column) throws SQLException {
        return text("SELECT " + column + " FROM experiments WHERE recommendation_id = ?", r.id());
    }

    /** Waits until the optimization's status is none of {@code passing} (and exists), and returns it. */
    public String awaitStatusBeyond(Recommendation r, Set<String> passing) {
        return await("the optimization of " + r.id() + " moves beyond " + passing).atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(100)).until(() -> optimization(r, "status"),
                        s -> s != null && !passing.contains(s));
    }

    @Override
    public void close() throws InterruptedException {
        try {
            for (AgentProcess a : agents) {
                a.close();
            }
        } finally {
            gw.close();
        }
    }
}
