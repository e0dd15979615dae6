package qp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import qp.protocol.params.TunableParameter;

/** GatewayMain's refusals (exit 2) and the config file formats. Starting it for real needs Kafka: see the e2e tests. */
class GatewayMainTest {
    @TempDir
    Path dir;

    private int run(Map<String, String> env, String... args) {
        return new CommandLine(new GatewayMain(env::get, false)).execute(args);
    }

    private String stderrOf(Runnable r) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true));
        try {
            r.run();
        } finally {
            System.setErr(old);
        }
        return buf.toString();
    }

    @Test
    void noClientTokenExits2WithAClearMessage() {
        int[] code = new int[1];
        String err = stderrOf(() -> code[0] = run(Map.of("QP_ADMIN_TOKEN", "a")));
        assertThat(code[0]).isEqualTo(2);
        assertThat(err).contains("no client token").contains("QP_TOKEN").contains("--token-file");
    }

    @Test
    void noAdminTokenExits2() {
        int[] code = new int[1];
        String err = stderrOf(() -> code[0] = run(Map.of("QP_TOKEN", "t")));
        assertThat(code[0]).isEqualTo(2);
        assertThat(err).contains("QP_ADMIN_TOKEN");
    }

    @Test
    void sameTokenForClientsAndAdminExits2() throws Exception {
        Path t = Files.writeString(dir.resolve("t"), "same\n");
        int[] code = new int[1];
        String err = stderrOf(() -> code[0] = run(Map.of(), "--token-file", t.toString(), "--admin-token-file", t.toString()));
        assertThat(code[0]).isEqualTo(2);
        assertThat(err).contains("differ");
    }

    @Test
    void aTokenOnTheCommandLineIsNotAnOption() {
        assertThat(run(Map.of("QP_TOKEN", "t", "QP_ADMIN_TOKEN", "a"), "--token", "t")).isEqualTo(2);
    }

    @Test
    void badConfigFileExits2NamingTheKey() throws Exception {
        Path cfg = Files.writeString(dir.resolve("gw.json"), "{\"params\": {\"buffer_size\": 1}}");
        int[] code = new int[1];
        String err = stderrOf(() -> code[0] = run(Map.of("QP_TOKEN", "t", "QP_ADMIN_TOKEN", "a"), "--config", cfg.toString()));
        assertThat(code[0]).isEqualTo(2);
        assertThat(err).contains("buffer_size");
    }

    @Test
    void startsTheConfiguredGatewayWithItsKafkaEmitter() throws Exception {
        Path cfg = Files.writeString(dir.resolve("gw.properties"), "params.max_connections=7\n");
        Path token = Files.writeString(dir.resolve("token"), "file-token\n");
        GatewayMain main = new GatewayMain(Map.of("QP_ADMIN_TOKEN", "adm")::get, false);
        // Kafka is not there (port 1): the emitter spools, the gateway serves all the same
        int code = new CommandLine(main).execute("--port", "0", "--admin-port", "0", "--host", "127.0.0.1",
                "--node-id", "main-test", "--kafka", "127.0.0.1:1", "--spool-dir", dir.resolve("spool").toString(),
                "--config", cfg.toString(), "--token-file", token.toString());
        assertThat(code).isZero();
        try (GatewayServer gw = main.server()) {
            assertThat(gw.config().nodeId()).isEqualTo("main-test");
            assertThat(gw.params().params().maxConnections()).isEqualTo(7);
            try (qp.client.QpClient c = qp.client.QpClient.connect(gw.uri())) {
                assertThat(c.auth("file-token").type()).isEqualTo(qp.protocol.frame.MessageType.ACK);
                ProtocolTest.assertEchoWorks(c);
            }
            var admin = new qp.gateway.testing.AdminHttp(gw.adminUri());
            assertThat(admin.get("/params", "adm").body()).contains("\"max_connections\":7");
        }
    }

    @Test
    void unknownEventEncodingExits2() {
        int[] code = new int[1];
        String err = stderrOf(() -> code[0] = run(Map.of("QP_TOKEN", "t", "QP_ADMIN_TOKEN", "a"), "--event-encoding", "xml"));
        assertThat(code[0]).isEqualTo(2);
        assertThat(err).contains("--event-encoding xml: use binary or json");
    }

    /** {@code --event-encoding json} holds a gateway on the JSON that readers from before the binary encoding read. */
    @Test
    void eventEncodingJsonWritesJsonEventsToKafka() throws Exception {
        qp.broker.EmbeddedKafka kafka = qp.broker.EmbeddedKafka.shared();
        String p = "gm" + java.util.UUID.randomUUID().toString().substring(0, 8);
        kafka.createTopics(p + ".frames", p + ".node-metrics");
        Path cfg = Files.writeString(dir.resolve("gw.properties"),
                "topics.frames=" + p + ".frames\ntopics.node_metrics=" + p + ".node-metrics\n");
        GatewayMain main = new GatewayMain(Map.of("QP_TOKEN", "tok", "QP_ADMIN_TOKEN", "adm")::get, false);
        int code = new CommandLine(main).execute("--port", "0", "--admin-port", "0", "--host", "127.0.0.1",
                "--node-id", "json-test", "--kafka", kafka.bootstrapServers(), "--spool-dir", dir.resolve("spool").toString(),
                "--config", cfg.toString(), "--event-encoding", "json");
        assertThat(code).isZero();
        try (GatewayServer gw = main.server()) {
            try (qp.client.QpClient c = qp.client.QpClient.connect(gw.uri())) {
                assertThat(c.auth("tok").type()).isEqualTo(qp.protocol.frame.MessageType.ACK);
                ProtocolTest.assertEchoWorks(c);
            }
            var records = qp.testsupport.kafka.KafkaRecords.readAll(kafka.bootstrapServers(), p + ".frames", 4,
                    java.time.Duration.ofSeconds(60), false);
            assertThat(records).hasSizeGreaterThanOrEqualTo(4).allSatisfy(r -> {
                assertThat(qp.protocol.events.EventEncoding.formatOf(r.value()))
                        .isEqualTo(qp.protocol.events.EventEncoding.Format.JSON);
                assertThat(qp.protocol.json.QpJson.read(r.value(), qp.protocol.events.FrameEvent.class).nodeId())
                        .isEqualTo("json-test");
            });
        }
    }

    @Test
    void everyOptionIsInTheReadmeTable() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        for (CommandLine.Model.OptionSpec o : new CommandLine(new GatewayMain()).getCommandSpec().options()) {
            if (!o.usageHelp() && !o.versionHelp()) {
                assertThat(readme).as("README.md documents " + o.longestName()).contains("| `" + o.longestName() + "` |");
            }
        }
    }

    @Test
    void jsonConfig() throws Exception {
        Path cfg = Files.writeString(dir.resolve("gw.json"), """
                {"params": {"buffer_size": 16384, "compression_threshold": "off", "max_connections": 500},
                 "routes": {"orders.get": "http://127.0.0.1:8080/orders"},
                 "topics": {"frames": "f", "node_metrics": "m"},
                 "auth": {"required": false},
                 "upstream_timeout_ms": 1500, "spool_max_bytes": 1000000, "queue_capacity": 5000}
                """);
        ConfigFile f = ConfigFile.load(cfg);
        assertThat(f.params()).containsEntry(TunableParameter.BUFFER_SIZE, 16384L)
                .containsEntry(TunableParameter.COMPRESSION_THRESHOLD, 0L).containsEntry(TunableParameter.MAX_CONNECTIONS, 500L);
        assertThat(f.routes()).containsEntry("orders.get", URI.create("http://127.0.0.1:8080/orders"));
        assertThat(f.framesTopic()).isEqualTo("f");
        assertThat(f.nodeMetricsTopic()).isEqualTo("m");
        assertThat(f.authRequired()).isFalse();
        assertThat(f.upstreamTimeout().toMillis()).isEqualTo(1500);
        assertThat(f.spoolMaxBytes()).isEqualTo(1_000_000);
        assertThat(f.queueCapacity()).isEqualTo(5000);
        GatewayConfig c = f.applyTo(GatewayConfig.builder().clientToken("t").adminToken("a")).build();
        assertThat(c.params().bufferSizeBytes()).isEqualTo(16384);
        assertThat(c.authRequired()).isFalse();
    }

    @Test
    void propertiesConfig() throws Exception {
        Path cfg = Files.writeString(dir.resolve("gw.properties"), """
                params.heartbeat_interval=20000
                params.compression_threshold=1024
                routes.orders.get=http://127.0.0.1:8080/orders
                topics.frames=frames2
                """);
        ConfigFile f = ConfigFile.load(cfg);
        assertThat(f.params()).containsEntry(TunableParameter.HEARTBEAT_INTERVAL, 20000L)
                .containsEntry(TunableParameter.COMPRESSION_THRESHOLD, 1024L);
        assertThat(f.routes()).containsKey("orders.get");
        assertThat(f.framesTopic()).isEqualTo("frames2");
        assertThat(f.nodeMetricsTopic()).isEqualTo("qp.node-metrics");
        assertThat(f.authRequired()).isTrue();
    }

    @Test
    void unknownConfigKeyIsAnError() throws Exception {
        Path cfg = Files.writeString(dir.resolve("gw.properties"), "param.buffer_size=16384\n");
        assertThatThrownBy(() -> ConfigFile.load(cfg)).hasMessageContaining("param.buffer_size");
    }
}
