package qp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qp.gateway.testing.AdminHttp;
import qp.gateway.testing.CollectingEmitter;
import qp.gateway.testing.TestGateways;
import qp.client.QpClient;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;
import qp.protocol.frame.MessageType;
import qp.protocol.json.QpJson;
import qp.protocol.params.TunableParameter;
import qp.testsupport.experiments.ReferenceArms;

/**
 * An experiment across gateway restarts: with a state dir it goes on with the same id and start (so sessions hash
 * and blocks alternate as before), until it ends, which the state dir forgets; without one it ends with the process.
 */
class ExperimentRestartTest {
    static final String START = "{\"id\": \"ct-restart\", \"parameter\": \"compression_threshold\", "
            + "\"treatment\": 1024, \"treatmentShare\": 0.3}";

    @TempDir
    Path state;

    GatewayServer withState() {
        return GatewayServer.start(TestGateways.config().stateDir(state).build(), new CollectingEmitter());
    }

    static HttpResponse<String> call(GatewayServer gw, String method, String path, String body) throws Exception {
        return new AdminHttp(gw.adminUri()).send(method, path, body, TestGateways.ADMIN_TOKEN, null);
    }

    static JsonNode json(HttpResponse<String> r) {
        return QpJson.treeOf(r.body().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void withAStateDirTheExperimentResumesUntilItEnds() throws Exception {
        JsonNode before;
        try (GatewayServer gw = withState()) {
            HttpResponse<String> r = call(gw, "POST", "/experiment", START);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            before = json(r);
        }
        assertThat(Files.readString(state.resolve("params.json"))).contains("ct-restart");

        CollectingEmitter events = new CollectingEmitter();
        try (GatewayServer gw = GatewayServer.start(TestGateways.config().stateDir(state).build(), events)) {
            HttpResponse<String> r = call(gw, "GET", "/experiment", null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode after = json(r);
            assertThat(after.path("version").asLong()).as("the same state, the same version")
                    .isEqualTo(before.path("version").asLong());
            assertThat(after.path("experiment").path("id").asText()).isEqualTo("ct-restart");
            assertThat(after.path("experiment").path("startedAtMillis").asLong())
                    .isEqualTo(before.path("experiment").path("startedAtMillis").asLong());
            assertThat(after.path("experiment").path("treatmentShare").asDouble()).isEqualTo(0.3);

            // a session of the resumed experiment runs in the arm the id gives it
            try (QpClient c = QpClient.connect(gw.uri())) {
                c.send(MessageType.AUTH, ("{\"token\":\"" + TestGateways.TOKEN + "\",\"compression\":true}")
                        .getBytes(StandardCharsets.UTF_8));
                String session = QpJson.treeOf(c.next(Duration.ofSeconds(10)).payload()).path("session").asText();
                c.sendCommand(1, "echo", SessionExperimentTest.LARGE);
                assertThat(c.next(Duration.ofSeconds(10)).compressed())
                        .isEqualTo(ReferenceArms.treatment("ct-restart", session, 0.3));
                await().atMost(Duration.ofSeconds(10)).until(() -> events.frames().stream()
                        .anyMatch(e -> e.direction() == Direction.IN && "echo".equals(e.op())));
                FrameEvent echo = events.frames().stream()
                        .filter(e -> e.direction() == Direction.IN && "echo".equals(e.op())).findFirst().orElseThrow();
                assertThat(echo.experimentId()).isEqualTo("ct-restart");
                assertThat(echo.arm()).isEqualTo(ReferenceArms.arm("ct-restart", session, 0.3));
            }
            assertThat(call(gw, "DELETE", "/experiment?outcome=adopt", null).statusCode()).isEqualTo(200);
        }
        assertThat(Files.readString(state.resolve("params.json"))).doesNotContain("ct-restart");

        try (GatewayServer gw = withState()) {
            assertThat(call(gw, "GET", "/experiment", null).statusCode()).as("ended for good").isEqualTo(404);
            assertThat(gw.params().params().compressionThresholdBytes()).as("the adopted value stays").isEqualTo(1024);
            assertThat(gw.params().version()).isEqualTo(before.path("version").asLong() + 1);
        }
    }

    @Test
    void endedOnControlItIsGoneAfterARestartToo() throws Exception {
        try (GatewayServer gw = withState()) {
            assertThat(call(gw, "POST", "/experiment", START).statusCode()).isEqualTo(201);
            assertThat(call(gw, "DELETE", "/experiment?outcome=control", null).statusCode()).isEqualTo(200);
        }
        try (GatewayServer gw = withState()) {
            assertThat(call(gw, "GET", "/experiment", null).statusCode()).isEqualTo(404);
            assertThat(gw.params().params().compressionThresholdBytes()).isZero();
            assertThat(gw.params().version()).as("start and end were two versions; none goes back").isEqualTo(3);
        }
    }

    @Test
    void withoutAStateDirItEndsWithTheProcess() throws Exception {
        try (GatewayServer gw = GatewayServer.start(TestGateways.config().build(), new CollectingEmitter())) {
            assertThat(call(gw, "POST", "/experiment", START).statusCode()).isEqualTo(201);
        }
        try (GatewayServer gw = GatewayServer.start(TestGateways.config().build(), new CollectingEmitter())) {
            assertThat(call(gw, "GET", "/experiment", null).statusCode()).isEqualTo(404);
            assertThat(json(call(gw, "GET", "/params", null)).has("experiment")).isFalse();
            assertThat(gw.params().params().compressionThresholdBytes()).as("back on control").isZero();
        }
    }

    /**
     * The config gave the node another value of the parameter while it was down: the experiment's control is no
     * longer what the node runs, so it ends with the restart instead of comparing against a value nobody has.
     */
    @Test
    void anExperimentWhoseControlMovedWhileDownEndsAtStart() throws Exception {
        long version;
        try (GatewayServer gw = withState()) {
            assertThat(call(gw, "POST", "/experiment", "{\"id\": \"bs\", \"parameter\": \"buffer_size\", "
                    + "\"treatment\": 16384, \"treatmentShare\": 0.2}").statusCode()).isEqualTo(201);
            version = gw.params().version();
        }
        try (GatewayServer gw = GatewayServer.start(TestGateways.config().stateDir(state)
                .param(TunableParameter.BUFFER_SIZE, 4096).build(), new CollectingEmitter())) {
            assertThat(call(gw, "GET", "/experiment", null).statusCode()).isEqualTo(404);
            assertThat(gw.params().version()).as("the state changed: one version on").isEqualTo(version + 1);
            assertThat(gw.params().params().bufferSizeBytes()).isEqualTo(4096);
        }
        assertThat(Files.readString(state.resolve("params.json"))).doesNotContain("\"bs\"");
    }
}
