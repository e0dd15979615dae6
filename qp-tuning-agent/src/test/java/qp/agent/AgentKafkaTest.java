package qp.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qp.agent.config.AgentConfig;
import qp.options.TypedOption;
import qp.agent.config.AgentOptions;
import qp.agent.testing.MutableClock;
import qp.agent.testing.RunningGateway;
import qp.agent.testing.Scenario;
import qp.agent.testing.SimulatedArms;
import qp.protocol.analytics.Anomaly;
import qp.protocol.analytics.AnomalyKind;
import qp.protocol.analytics.BigramCount;
import qp.protocol.analytics.BigramWindow;
import qp.protocol.analytics.ModelReport;
import qp.protocol.analytics.Recommendation;
import qp.protocol.analytics.Severity;
import qp.protocol.analytics.WindowStats;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.FrameEventCodec;
import qp.protocol.events.NodeMetrics;
import qp.protocol.json.QpJson;
import qp.protocol.params.TunableParams;
import qp.broker.EmbeddedKafka;
import qp.testsupport.kafka.KafkaRecords;

/**
 * The whole agent as it runs: the shared in-process broker, a real gateway, a real SQLite file. The job's topics are
 * written here as the job writes them (in transactions, one of them aborted), the agent reads them into its store,
 * applies a good recommendation and keeps it, applies a bad one and rolls it back, and refuses an unknown node.
 */
class AgentKafkaTest {
    static final long T0 = 1_796_000_000_000L;
    static final String NODE = "edge-1";

    @TempDir
    Path dir;
    final EmbeddedKafka kafka = EmbeddedKafka.shared();
    final MutableClock clock = new MutableClock(T0);
    final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ".";
    RunningGateway gw;
    TuningAgent agent;
    KafkaProducer<byte[], byte[]> tx;

    String topic(TypedOption<String> o) {
        return prefix + o.defaultValue();
    }

    @BeforeEach
    void start() {
        gw = RunningGateway.start(NODE, dir.resolve("gw"));
        AgentConfig c = AgentConfig.defaults().withGateways(List.of(gw.entry()))
                .with(AgentOptions.KAFKA, kafka.bootstrapServers())
                .with(AgentOptions.DB, dir.resolve("agent.db").toString())
                .with(AgentOptions.GROUP_ID, prefix + "agent")
                .with(AgentOptions.TICK_INTERVAL, Duration.ofMillis(50))
                .with(AgentOptions.MESSAGE_LOG_SAMPLE, 1.0);
        for (TypedOption<String> o : List.of(AgentOptions.FRAMES_TOPIC, AgentOptions.NODE_METRICS_TOPIC,
                AgentOptions.WINDOW_STATS_TOPIC, AgentOptions.ANOMALIES_TOPIC, AgentOptions.BIGRAMS_TOPIC,
                AgentOptions.MODELS_TOPIC, AgentOptions.RECOMMENDATIONS_TOPIC, AgentOptions.EXPERIMENT_STATS_TOPIC,
                AgentOptions.CONTROL_TOPIC)) {
            c = c.with(o, topic(o)); // the test broker creates a topic on first use
        }
        agent = TuningAgent.start(c, clock);
        tx = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, prefix + "job"), new ByteArraySerializer(), new ByteArraySerializer());
        tx.initTransactions();
    }

    @AfterEach
    void stop() {
        tx.close();
        agent.close();
        gw.close();
    }

    /** Writes records as the job does: in one committed transaction. */
    void committed(TypedOption<String> topic, List<?> values) {
        tx.beginTransaction();
        values.forEach(v -> tx.send(new ProducerRecord<>(topic(topic), QpJson.bytes(v))));
        tx.commitTransaction();
    }

    long count(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("agent.db"));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    String text(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("agent.db"));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    String status(Recommendation r) throws Exception {
        return text("SELECT status FROM optimizations WHERE recommendation_id = '" + r.id() + "'");
    }

    void awaitStatus(Recommendation r, String status) {
        try {
            awaitStatus0(r, status);
        } catch (RuntimeException e) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("agent.db"));
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT node_id, type, window_view, "
                         + "window_start_ms - " + T0 + ", count, source FROM performance_metrics ORDER BY id")) {
                while (rs.next()) {
                    System.out.println("performance_metrics at the timeout: " + rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " "
                            + rs.getLong(4) + " " + rs.getLong(5) + " " + rs.getString(6));
                }
            } catch (Exception x) {
                x.printStackTrace();
            }
            throw e;
        }
    }

    void awaitStatus0(Recommendation r, String status) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> status.equals(status(r)));
    }

    @Test
    void theStoreFillsFromTheTopicsAndTheLoopAppliesVerifiesAndRollsBack() throws Exception {
        // what the gateways write (not transactional) and what the job writes (transactional)
        List<FrameEvent> frames = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            frames.add(new FrameEvent(NODE, "c" + (i % 5), i, "s1", "COMMAND", "echo", Direction.IN, 120, 100, false,
                    250, FrameEvent.OK, 1, T0 - 1000 + i));
        }
        KafkaRecords.send(kafka.bootstrapServers(), topic(AgentOptions.FRAMES_TOPIC), frames.stream()
                .map(f -> KafkaRecords.record(topic(AgentOptions.FRAMES_TOPIC), f.connectionId(), FrameEventCodec.encode(f))).toList());
        KafkaRecords.send(kafka.bootstrapServers(), topic(AgentOptions.NODE_METRICS_TOPIC), List.of(KafkaRecords.record(
                topic(AgentOptions.NODE_METRICS_TOPIC), NODE, QpJson.bytes(new NodeMetrics(NODE, T0 - 5000, 10, 10, 1e3,
                        1e3, 0.1, 1 << 20, 1 << 28, 3, 0, 0, 1, TunableParams.defaults(), gw.server().instanceId(),
                        "http://127.0.0.1:9998")))));
        committed(AgentOptions.WINDOW_STATS_TOPIC, Scenario.windows(NODE, T0 - 30_000, 3, 100, 100_000, 1000, 2000, 0));
        committed(AgentOptions.ANOMALIES_TOPIC, List.of(new Anomaly(NODE, "*", AnomalyKind.LATENCY_SPIKE,
                Severity.WARNING, 4.2, 9000, 1000, 500, 2500, T0 - 20_000, T0 - 10_000, "p95 9000 us > 2500 us")));
        committed(AgentOptions.BIGRAMS_TOPIC, List.of(new BigramWindow(NODE, T0 - 10_000, T0, 30, 2, List.of(
                new BigramCount("AUTH", "ACK", "AUTH->ACK", 10, 0.33), new BigramCount("COMMAND", "ACK", "COMMAND->ACK", 20, 0.67)))));
        byte[] blob = {1, 2, 3, 4, 5};
        committed(AgentOptions.MODELS_TOPIC, List.of(new ModelReport("latency", NODE, "latency/edge-1/v1",
                "random-forest 30 trees", T0, 1000, 800, 200, true, 0.93, 120.0, null, Map.of("payload_size", 0.6),
                "R2 0.93 >= 0.5", Base64.getEncoder().encodeToString(blob))));
        // an aborted transaction: read_committed must never let it in
        tx.beginTransaction();
        tx.send(new ProducerRecord<>(topic(AgentOptions.WINDOW_STATS_TOPIC),
                QpJson.bytes(Scenario.window(NODE, T0 - 900_000, 1, 1, 1, 1, 0))));
        tx.flush();
        tx.abortTransaction();
        committed(AgentOptions.WINDOW_STATS_TOPIC, List.of(Scenario.window("edge-x", T0 - 900_000, 1, 1, 1, 1, 0)));

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                count("SELECT COUNT(*) FROM performance_metrics WHERE node_id = 'edge-x'") == 1
                        && count("SELECT COUNT(*) FROM message_log") == 50
                        && count("SELECT COUNT(*) FROM models") == 1
                        && count("SELECT COUNT(*) FROM performance_metrics WHERE source = 'node'") == 1);
        assertThat(count("SELECT COUNT(*) FROM performance_metrics WHERE source = 'window' AND node_id = 'edge-1'"))
                .as("the aborted window is not there").isEqualTo(3);
        assertThat(count("SELECT COUNT(*) FROM anomalies WHERE kind = 'LATENCY_SPIKE'")).isEqualTo(1);
        assertThat(count("SELECT SUM(count) FROM bigrams WHERE node_id = 'edge-1'")).isEqualTo(30);
        assertThat(text("SELECT instance_id FROM performance_metrics WHERE source = 'node'")).isEqualTo(gw.server().instanceId());
        assertThat(text("SELECT hex(model_blob) FROM models")).as("decoded from base64").isEqualTo("0102030405");

        // a good recommendation: its experiment starts; the job's per-arm windows show -60% bytes: kept and adopted
        Recommendation good = Scenario.compression(NODE, T0);
        Recommendation elsewhere = Scenario.compression("edge-9", T0);
        committed(AgentOptions.RECOMMENDATIONS_TOPIC, List.of(good, elsewhere));
        awaitStatus(good, "applied");
        assertThat(gw.server().params().current().experiment().parameter()).isEqualTo("compression_threshold");
        awaitStatus(elsewhere, "rejected");
        assertThat(text("SELECT gate FROM optimizations WHERE recommendation_id = '" + elsewhere.id() + "'"))
                .isEqualTo("unknown_node");
        SimulatedArms goodArms = armWindows(good, -0.6, 1_000, 1_050);
        committed(AgentOptions.EXPERIMENT_STATS_TOPIC, goodArms.windows);
        clock.advance(Duration.ofSeconds(40)); // past the minimum duration of a compression experiment
        awaitStatus(good, "verified");
        assertThat(text("SELECT reason FROM optimizations WHERE recommendation_id = '" + good.id() + "'"))
                .contains("outgoing wire bytes per raw byte " + Math.round(100 * goodArms.observedEffect()) + "%")
                .endsWith("| kept: adopted on the whole node "
                        + "(clear gain at an early look)");
        assertThat(gw.server().params().params().compressionThresholdBytes()).isEqualTo(1024);
        assertThat(count("SELECT COUNT(*) FROM experiment_windows")).isEqualTo(8);

        // a bad one a while later: the treatment's p99 is nine times control's in its first window: stopped by the guard
        clock.advance(Duration.ofMinutes(1));
        Recommendation bad = Scenario.rec(NODE, "buffer_size", 8192, 16384, 0.9, 0.3, "frames", gw.version(), T0 + 60_000);
        committed(AgentOptions.RECOMMENDATIONS_TOPIC, List.of(bad));
        awaitStatus(bad, "applied");
        assertThat(gw.server().params().current().experiment().parameter()).isEqualTo("buffer_size");
        committed(AgentOptions.EXPERIMENT_STATS_TOPIC, armWindows(bad, 0.0, 1_000, 9_000).windows.subList(0, 1));
        clock.advance(Duration.ofSeconds(10));
        awaitStatus(bad, "rolled_back");
        assertThat(gw.server().params().current().experiment()).isNull();
        assertThat(gw.server().params().params().bufferSizeBytes()).isEqualTo(8192);
        assertThat(text("SELECT reason FROM optimizations WHERE recommendation_id = '" + bad.id() + "'"))
                .contains("| guard: guard latency_p99 broke: treatment p99 9000 us against control 1000 us");
        assertThat(text("SELECT verdict FROM experiments WHERE recommendation_id = '" + bad.id() + "'"))
                .isEqualTo("guard");
        assertThat(count("SELECT COUNT(*) FROM optimization_events")).isEqualTo(4 + 2 + 4);
    }

    /** Eight per-arm windows of the recommendation's experiment, in its gateway's time, after its settle time. */
    SimulatedArms armWindows(Recommendation r, double effect, double p99Control, double p99Treatment) throws Exception {
        String id = text("SELECT id FROM experiments WHERE recommendation_id = '" + r.id() + "'");
        long started = count("SELECT gateway_started_ms FROM experiments WHERE recommendation_id = '" + r.id() + "'");
        return new SimulatedArms(NODE, id, started + 5_000, 5_000, 7, 120, 0.5, effect, 8, false, p99Control,
                p99Treatment);
    }
}
