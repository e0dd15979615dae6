package qp.job.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import qp.job.io.DeadLetter;
import qp.protocol.analytics.Anomaly;
import qp.protocol.analytics.AnomalyKind;
import qp.protocol.analytics.BigramCount;
import qp.protocol.analytics.BigramWindow;
import qp.protocol.analytics.ExperimentStats;
import qp.protocol.analytics.ModelReport;
import qp.protocol.analytics.Recommendation;
import qp.protocol.analytics.Severity;
import qp.protocol.analytics.TrendReport;
import qp.protocol.analytics.WindowStats;
import qp.protocol.analytics.WindowView;
import qp.protocol.control.ControlCommand;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.FrameEventCodec;
import qp.protocol.events.NodeMetrics;
import qp.protocol.events.NodeMetricsCodec;
import qp.protocol.json.QpJson;
import qp.protocol.params.TunableParams;
import qp.broker.EmbeddedKafka;

/**
 * Every statement of {@code sql/flink/} runs in a Flink table environment (on this class's MiniCluster) and reads the
 * records of its topic, written from QP's own record classes: three per topic, read back through one query. The
 * job's topics are written in transactions, with one aborted record that read_committed must leave out. The gateways'
 * topics are written as the gateways write them, by {@link FrameEventCodec} and {@link NodeMetricsCodec}, and read with
 * Flink's avro format.
 */
class FlinkSqlDdlTest {
    static final Path DDL = Path.of("..", "sql", "flink");
    static final long T = 1_796_000_000_000L;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    final EmbeddedKafka kafka = EmbeddedKafka.shared();
    final String prefix = "sql" + UUID.randomUUID().toString().substring(0, 6) + ".";

    /** Per table: a record of its topic for index i, and the SQL expression that reads back what identifies it. */
    record Sample(String topic, boolean transactional, java.util.function.IntFunction<Object> value, String probe,
            java.util.function.IntFunction<String> expected) {
    }

    static Map<String, Sample> samples() {
        Map<String, Sample> m = new HashMap<>();
        m.put("qp_frames", new Sample("qp.frames", false, i -> new FrameEvent("edge-1", "c" + i, i, "s", "COMMAND",
                "echo", Direction.IN, 100 + i, 90, false, 250, "ok", 1, T + i, i == 0 ? null : "exp-" + i,
                i == 0 ? null : "treatment", i == 0 ? null : i + 3),
                "CONCAT(`connectionId`, '/', COALESCE(`arm`, '-'), '/', COALESCE(CAST(`bucket` AS STRING), '-'))",
                i -> "c" + i + (i == 0 ? "/-/-" : "/treatment/" + (i + 3))));
        m.put("qp_late_frames", new Sample("qp.late-frames", true, i -> new FrameEvent("edge-1", "late" + i, i, null,
                "ACK", null, Direction.OUT, 10, 0, false, 0, "ok", 1, T + i), "`connectionId`", i -> "late" + i));
        m.put("qp_node_metrics", new Sample("qp.node-metrics", false, i -> new NodeMetrics("edge-" + i, T, 1, 1, 1, 1,
                0.1, 1, 2, 3, 0, 0, 7, TunableParams.defaults(), "inst-" + i, null),
                "CONCAT(`instanceId`, '/', CAST(`params`.`bufferSizeBytes` AS STRING))", i -> "inst-" + i + "/8192"));
        m.put("qp_window_stats", new Sample("qp.window-stats", true, i -> new WindowStats("edge-1", "*",
                WindowView.TUMBLING, T + i * 10_000L, T + (i + 1) * 10_000L, 10 + i, 1000, 1, 100, 0, 0, 10, 1, 2, 3, 4,
                5, 6, 7, 8, Map.of("COMMAND", 10L + i), Map.of("0-64", 1L), null),
                "CAST(`typeMix`['COMMAND'] AS STRING)", i -> Integer.toString(10 + i)));
        m.put("qp_anomalies", new Sample("qp.anomalies", true, i -> new Anomaly("edge-" + i, "*",
                AnomalyKind.LATENCY_SPIKE, Severity.WARNING, 4, 9, 1, 1, 3, T, T + 1, "d"), "CONCAT(`nodeId`, `kind`)",
                i -> "edge-" + i + "LATENCY_SPIKE"));
        m.put("qp_bigrams", new Sample("qp.bigrams", true, i -> new BigramWindow("edge-" + i, T, T + 1, 3, 1,
                List.of(new BigramCount("AUTH", "ACK", "AUTH->ACK", 3, 1.0))), "CONCAT(`nodeId`, `top`[1].`sequence`)",
                i -> "edge-" + i + "AUTH->ACK"));
        m.put("qp_models", new Sample("qp.models", true, i -> new ModelReport("latency", "edge-1", "v" + i, "rf", T,
                10, 8, 2, true, 0.9, 1.0, null, Map.of("payload_size", 0.5), "ok", "AQID"),
                "CONCAT(`version`, CAST(`featureImportance`['payload_size'] AS STRING))", i -> "v" + i + "0.5"));
        m.put("qp_recommendations", new Sample("qp.recommendations", true, i -> new Recommendation("r" + i, "edge-1",
                "buffer_size", 8192, 16384 + i, 0.9, 0.3, "frames", "rules", "rules-v1", "x", "e", 1, T),
                "CONCAT(`id`, CAST(`proposedValue` AS STRING))", i -> "r" + i + (16384 + i)));
        m.put("qp_trends", new Sample("qp.trends", true, i -> new TrendReport("edge-" + i, 5, T, T + 1, 10, 1,
                TrendReport.Trend.RISING, 100, 2, TrendReport.Trend.FLAT, 50, 60, Map.of()),
                "CONCAT(`nodeId`, `throughputTrend`)", i -> "edge-" + i + "RISING"));
        m.put("qp_experiment_stats", new Sample("qp.experiment-stats", true, i -> new ExperimentStats("edge-1",
                "exp-" + i, T, T + 10_000,
                List.of(new ExperimentStats.Cell("control", i, "COMMAND", "IN", "small", 10 + i, 700, 640, 2, 1, 8, 4_000)),
                List.of(new ExperimentStats.Latency("treatment", "DATA", "OUT", "large", 8, 450, 900, 990.5)),
                List.of(new ExperimentStats.Units("control", i, 2 + i))),
                "CONCAT(`experimentId`, '/', CAST(`cells`[1].`frames` AS STRING), '/', `latency`[1].`band`, '/', "
                        + "CAST(`latency`[1].`p99Micros` AS STRING), '/', CAST(`units`[1].`sessions` AS STRING))",
                i -> "exp-" + i + "/" + (10 + i) + "/large/990.5/" + (2 + i)));
        m.put("qp_dlq", new Sample("qp.dlq", true, i -> new DeadLetter("qp.frames", 0, i, T, "bad JSON " + i, "{",
                null), "`reason`", i -> "bad JSON " + i));
        m.put("qp_control", new Sample("qp.control", false, i -> ControlCommand.retrain("edge-" + i, "test", T),
                "CONCAT(`command`, `nodeId`)", i -> "retrainedge-" + i));
        return m;
    }

    @Test
    void everyTopicsTableReadsItsRecordsAndOnlyCommittedOnes() throws Exception {
        Map<String, Sample> samples = samples();
        List<String> files;
        try (Stream<Path> s = Files.list(DDL)) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql")).sorted().toList();
        }
        assertThat(files.stream().map(f -> f.substring(0, f.length() - 4)).toList())
                .as("one DDL file per topic").containsExactlyInAnyOrderElementsOf(samples.keySet());

        write(samples);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        List<String> selects = new ArrayList<>();
        for (String file : files) {
            String table = file.substring(0, file.length() - 4);
            Sample sample = samples.get(table);
            String ddl = Files.readString(DDL.resolve(file), StandardCharsets.UTF_8)
                    .replace("${bootstrap.servers}", kafka.bootstrapServers())
                    .replace("'topic' = '" + sample.topic() + "'", "'topic' = '" + prefix + sample.topic() + "'")
                    // bounded, so that the query ends once it has read what is there
                    .replace("  'format' = ", "  'scan.bounded.mode' = 'latest-offset',\n  'format' = ");
            assertThat(ddl).contains(prefix + sample.topic());
            assertThat(ddl.contains("'properties.isolation.level' = 'read_committed'"))
                    .as(table + " reads committed records exactly when the job writes it in transactions")
                    .isEqualTo(sample.transactional());
            tables.executeSql(ddl);
            selects.add("SELECT '" + table + "' AS tbl, " + sample.probe() + " AS probe FROM " + table);
        }
        Map<String, List<String>> read = new HashMap<>();
        try (CloseableIterator<Row> rows = tables.executeSql(String.join(" UNION ALL ", selects)).collect()) {
            rows.forEachRemaining(r -> read.computeIfAbsent((String) r.getField(0), k -> new ArrayList<>())
                    .add((String) r.getField(1)));
        }
        for (Map.Entry<String, Sample> e : samples.entrySet()) {
            List<String> expected = java.util.stream.IntStream.range(0, 3).mapToObj(e.getValue().expected()).toList();
            assertThat(read.get(e.getKey())).as(e.getKey()).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    /** As its writer puts it on the topic: the gateways' events in the binary encoding, the job's records in JSON. */
    static byte[] value(Sample s, int i) {
        Object v = s.value().apply(i);
        return switch (s.topic()) {
            case "qp.frames" -> FrameEventCodec.encode((FrameEvent) v);
            case "qp.node-metrics" -> NodeMetricsCodec.encode((NodeMetrics) v);
            default -> QpJson.bytes(v);
        };
    }

    /** A query an operator would run over what gateways write: per node, frames, bytes, errors, slowest, arms. */
    @Test
    void aQueryOverFrameEventsWrittenByTheCodec() throws Exception {
        String topic = prefix + "q.qp.frames";
        kafka.createTopics(topic + ":2");
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 40; i++) {
                FrameEvent f = new FrameEvent(i % 4 == 0 ? "edge-2" : "edge-1", "c" + i % 5, i, i % 3 == 0 ? null : "s",
                        i % 2 == 0 ? "COMMAND" : "DATA", i % 2 == 0 ? "echo" : null, i % 2 == 0 ? Direction.IN : Direction.OUT,
                        100 + i, 90, i % 7 == 0, 1000 + i * 10L, i % 10 == 9 ? "BAD_FRAME" : "ok", 3, T + i * 100L,
                        i % 5 == 0 ? "exp-1" : null, i % 5 == 0 ? "treatment" : null, i % 5 == 0 ? i % 100 : null);
                p.send(new ProducerRecord<>(topic, ("c" + i % 5).getBytes(StandardCharsets.UTF_8), FrameEventCodec.encode(f)));
            }
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        tables.executeSql(Files.readString(DDL.resolve("qp_frames.sql"), StandardCharsets.UTF_8)
                .replace("${bootstrap.servers}", kafka.bootstrapServers())
                .replace("'topic' = 'qp.frames'", "'topic' = '" + topic + "'")
                .replace("  'format' = ", "  'scan.bounded.mode' = 'latest-offset',\n  'format' = "));
        Map<String, String> last = new HashMap<>();
        try (CloseableIterator<Row> rows = tables.executeSql("SELECT nodeId, CONCAT_WS('/', CAST(COUNT(*) AS STRING), "
                + "CAST(SUM(wireBytes) AS STRING), CAST(SUM(CASE WHEN outcome <> 'ok' THEN 1 ELSE 0 END) AS STRING), "
                + "CAST(MAX(latencyMicros) AS STRING), CAST(COUNT(arm) AS STRING), CAST(COUNT(op) AS STRING), "
                + "CAST(SUM(CASE WHEN compressed THEN 1 ELSE 0 END) AS STRING), CAST(MIN(encodingMajor) AS STRING), "
                + "CAST(MAX(encodingMinor) AS STRING), CAST(MIN(event_time) AS STRING)) FROM qp_frames GROUP BY nodeId").collect()) {
            rows.forEachRemaining(r -> {
                if (r.getKind() == org.apache.flink.types.RowKind.INSERT || r.getKind() == org.apache.flink.types.RowKind.UPDATE_AFTER) {
                    last.put((String) r.getField(0), (String) r.getField(1));
                }
            });
        }
        // edge-2: i = 0, 4, ..., 36 (10 frames); edge-1: the other 30
        assertThat(last.get("edge-2")).startsWith("10/1180/0/1360/2/10/2/1/1/");
        assertThat(last.get("edge-1")).startsWith("30/3600/4/1390/6/10/4/1/1/");
    }

    private void write(Map<String, Sample> samples) {
        try (KafkaProducer<byte[], byte[]> plain = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer());
             KafkaProducer<byte[], byte[]> tx = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                     kafka.bootstrapServers(), ProducerConfig.TRANSACTIONAL_ID_CONFIG, prefix + "tx"),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            tx.initTransactions();
            for (Sample s : samples.values()) {
                String topic = prefix + s.topic();
                if (s.transactional()) {
                    tx.beginTransaction();
                    tx.send(new ProducerRecord<>(topic, value(s, 99))); // never committed
                    tx.flush();
                    tx.abortTransaction();
                    tx.beginTransaction();
                    for (int i = 0; i < 3; i++) {
                        tx.send(new ProducerRecord<>(topic, value(s, i)));
                    }
                    tx.commitTransaction();
                } else {
                    for (int i = 0; i < 3; i++) {
                        plain.send(new ProducerRecord<>(topic, value(s, i)));
                    }
                    plain.flush();
                }
            }
        }
    }
}
