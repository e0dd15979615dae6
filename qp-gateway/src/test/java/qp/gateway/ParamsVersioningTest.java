package qp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qp.gateway.testing.CollectingEmitter;
import qp.gateway.testing.TestGateways;
import qp.protocol.json.QpJson;
import qp.protocol.params.TunableParameter;

/**
 * What the tuning agent relies on, on real sockets: the version as ETag, If-Match with 412, an instance id that is
 * new at each start, and admin-API changes that survive a restart on top of the config's values.
 */
class ParamsVersioningTest {
    final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path state;

    HttpResponse<String> get(GatewayServer gw, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(gw.adminUri().resolve(path))
                .header("Authorization", "Bearer " + TestGateways.ADMIN_TOKEN).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> put(GatewayServer gw, String body, String ifMatch) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gw.adminUri().resolve("/params"))
                .header("Authorization", "Bearer " + TestGateways.ADMIN_TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofString(body));
        if (ifMatch != null) {
            b.header("If-Match", ifMatch);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) {
        return QpJson.treeOf(r.body().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theVersionIsTheEtagAndIfMatchGuardsThePut() throws Exception {
        try (GatewayServer gw = GatewayServer.start(TestGateways.config().build(), new CollectingEmitter())) {
            HttpResponse<String> g = get(gw, "/params");
            assertThat(g.headers().firstValue("ETag")).hasValue("\"1\"");

            HttpResponse<String> ok = put(gw, "{\"buffer_size\": 16384}", "\"1\"");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("ETag")).hasValue("\"2\"");
            assertThat(json(ok).path("version").asLong()).isEqualTo(2);

            HttpResponse<String> moved = put(gw, "{\"buffer_size\": 32768}", "\"1\"");
            assertThat(moved.statusCode()).isEqualTo(412);
            assertThat(json(moved).path("error").asText()).isEqualTo("VERSION_MOVED");
            assertThat(json(moved).path("version").asLong()).isEqualTo(2);
            assertThat(moved.headers().firstValue("ETag")).hasValue("\"2\"");
            assertThat(gw.params().params().bufferSizeBytes()).as("nothing changed").isEqualTo(16384);
            assertThat(gw.params().version()).isEqualTo(2);

            assertThat(put(gw, "{\"buffer_size\": 32768}", "*").statusCode()).as("* matches any").isEqualTo(200);
            HttpResponse<String> bad = put(gw, "{\"buffer_size\": 8192}", "yesterday");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(json(bad).path("error").asText()).isEqualTo("BAD_IF_MATCH");
            assertThat(gw.params().params().bufferSizeBytes()).isEqualTo(32768);
        }
    }

    @Test
    void eachStartHasANewInstanceIdInParamsReadinessAndNodeSamples() throws Exception {
        CollectingEmitter emitter = new CollectingEmitter();
        String first;
        try (GatewayServer gw = GatewayServer.start(TestGateways.config().metricsInterval(Duration.ofMillis(50))
                .advertisedAdminUrl("http://edge-1.example:9998").build(), emitter)) {
            first = gw.instanceId();
            assertThat(json(get(gw, "/params")).path("instanceId").asText()).isEqualTo(first);
            assertThat(json(get(gw, "/health/ready")).path("instanceId").asText()).isEqualTo(first);
            await().atMost(Duration.ofSeconds(10)).until(() -> !emitter.samples().isEmpty());
            assertThat(emitter.samples().get(0).instanceId()).isEqualTo(first);
            assertThat(emitter.samples().get(0).advertisedAdminUrl()).isEqualTo("http://edge-1.example:9998");
        }
        try (GatewayServer gw = GatewayServer.start(TestGateways.config().build(), new CollectingEmitter())) {
            assertThat(gw.instanceId()).isNotEqualTo(first);
            assertThat(json(get(gw, "/params")).path("instanceId").asText()).isEqualTo(gw.instanceId());
        }
    }

    @Test
    void adminChangesSurviveARestartOnTopOfTheConfigValues() throws Exception {
        try (GatewayServer gw = GatewayServer.start(TestGateways.config().stateDir(state).build(), new CollectingEmitter())) {
            assertThat(put(gw, "{\"compression_threshold\": 1024}", "\"1\"").statusCode()).isEqualTo(200);
            assertThat(put(gw, "{\"buffer_size\": 16384}", null).statusCode()).isEqualTo(200);
        }
        assertThat(state.resolve("params.json")).exists();
        assertThat(state.resolve("params.json.tmp")).doesNotExist();
        // the config now says heartbeat 20 s and buffer 4 KiB: the heartbeat (never changed by the API) follows the
        // config; the buffer size (changed by the API) keeps the API's value
        try (GatewayServer gw = GatewayServer.start(TestGateways.config().stateDir(state)
                .param(TunableParameter.HEARTBEAT_INTERVAL, 20_000).param(TunableParameter.BUFFER_SIZE, 4096).build(),
                new CollectingEmitter())) {
            JsonNode p = json(get(gw, "/params"));
            assertThat(p.path("version").asLong()).as("versions continue, never go back").isEqualTo(3);
            assertThat(p.path("params").path("compression_threshold").asLong()).isEqualTo(1024);
            assertThat(p.path("params").path("buffer_size").asLong()).isEqualTo(16384);
            assertThat(p.path("params").path("heartbeat_interval").asLong()).isEqualTo(20_000);
            assertThat(put(gw, "{\"compression_threshold\": \"off\"}", "\"3\"").statusCode()).isEqualTo(200);
        }
        try (GatewayServer gw = GatewayServer.start(TestGateways.config().stateDir(state).build(), new CollectingEmitter())) {
            assertThat(gw.params().version()).isEqualTo(4);
            assertThat(gw.params().params().compressionThresholdBytes()).isZero();
        }
    }

    @Test
    void anUnreadableParamsFileStopsTheStartWithItsName() throws Exception {
        Files.writeString(state.resolve("params.json"), "{not json");
        assertThatThrownBy(() -> GatewayServer.start(TestGateways.config().stateDir(state).build(), new CollectingEmitter()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(state.resolve("params.json").toString())
                .hasMessageContaining("move it aside");
        Files.writeString(state.resolve("params.json"), "{\"version\": 5, \"overrides\": {\"buffer_size\": 1}}");
        assertThatThrownBy(() -> GatewayServer.start(TestGateways.config().stateDir(state).build(), new CollectingEmitter()))
                .hasMessageContaining("buffer_size: 1 is outside");
    }

}
