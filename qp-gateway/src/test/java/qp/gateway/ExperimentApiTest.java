package qp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import qp.gateway.testing.AdminHttp;
import qp.gateway.testing.CollectingEmitter;
import qp.gateway.testing.TestGateways;
import qp.protocol.experiments.ExperimentSpec;
import qp.protocol.json.QpJson;

/**
 * {@code /experiment} on a real admin socket: start, read, ramp, end and adopt; and every refusal with its status
 * and code, each of which leaves the node's state (and version) as it was.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExperimentApiTest {
    static final String START_CT = "{\"id\": \"ct-1024\", \"parameter\": \"compression_threshold\", "
            + "\"treatment\": 1024, \"treatmentShare\": 0.2}";
    GatewayServer gw;
    AdminHttp admin;

    @BeforeAll
    void start() {
        gw = GatewayServer.start(TestGateways.config().build(), new CollectingEmitter());
        admin = new AdminHttp(gw.adminUri());
    }

    @AfterAll
    void stop() {
        gw.close();
        // JUnit may keep a per-class instance after the class: let go of the admin client's JDK HttpClient, or
        // FuzzTest, when it runs next, waits in vain for every HttpClient in the JVM to be gone
        admin = null;
        gw = null;
    }

    @AfterEach
    void endAnyExperimentAndRestoreDefaults() throws Exception {
        call("DELETE", "/experiment", null, null);
        assertThat(admin.put("/params", "{\"compression_threshold\": \"off\", \"max_connections\": 100}",
                TestGateways.ADMIN_TOKEN).statusCode()).isEqualTo(200);
    }

    HttpResponse<String> call(String method, String path, String body, String ifMatch) throws Exception {
        return admin.send(method, path, body, TestGateways.ADMIN_TOKEN, ifMatch);
    }

    static JsonNode json(HttpResponse<String> r) {
        return QpJson.treeOf(r.body().getBytes(StandardCharsets.UTF_8));
    }

    static void assertError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(json(r).path("error").asText()).as(r.body()).isEqualTo(code);
        assertThat(json(r).path("message").asText()).as(r.body()).isNotBlank();
    }

    String etag(long version) {
        return "\"" + version + "\"";
    }

    // ---- the life of an experiment

    @Test
    void startReadRampAndEndOnControl() throws Exception {
        long v = gw.params().version();
        HttpResponse<String> started = call("POST", "/experiment", START_CT, etag(v));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        assertThat(started.headers().firstValue("ETag")).hasValue(etag(v + 1));
        JsonNode body = json(started);
        assertThat(body.path("version").asLong()).isEqualTo(v + 1);
        JsonNode e = body.path("experiment");
        assertThat(e.path("id").asText()).isEqualTo("ct-1024");
        assertThat(e.path("parameter").asText()).isEqualTo("compression_threshold");
        assertThat(e.path("control").asLong()).as("the node's value, off").isZero();
        assertThat(e.path("treatment").asLong()).isEqualTo(1024);
        assertThat(e.path("treatmentShare").asDouble()).isEqualTo(0.2);
        assertThat(e.path("assignment").asText()).isEqualTo("session");
        assertThat(e.path("startedAtMillis").asLong()).isPositive();
        assertThat(e.path("status").asText()).isEqualTo("running");
        assertThat(e.path("sessions").path("control").isInt()).isTrue();
        assertThat(e.path("sessions").path("treatment").isInt()).isTrue();
        assertThat(e.has("currentArm")).as("session assignment has no node arm").isFalse();
        // what the agent reads back is the contract's record
        ExperimentSpec spec = QpJson.mapper().treeToValue(e, ExperimentSpec.class);
        assertThat(spec.problem()).isNull();
        assertThat(gw.params().current().experiment()).isEqualTo(spec);

        HttpResponse<String> got = call("GET", "/experiment", null, null);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(json(got).path("experiment").path("id").asText()).isEqualTo("ct-1024");
        assertThat(json(got).path("version").asLong()).isEqualTo(v + 1);
        JsonNode params = json(call("GET", "/params", null, null));
        assertThat(params.path("experiment").path("id").asText()).isEqualTo("ct-1024");
        assertThat(params.path("params").path("compression_threshold").asText()).as("the node's own value")
                .isEqualTo("off");

        HttpResponse<String> ramped = call("PUT", "/experiment", "{\"treatmentShare\": 0.4}", etag(v + 1));
        assertThat(ramped.statusCode()).as(ramped.body()).isEqualTo(200);
        assertThat(json(ramped).path("version").asLong()).isEqualTo(v + 2);
        assertThat(json(ramped).path("experiment").path("treatmentShare").asDouble()).isEqualTo(0.4);
        assertThat(json(ramped).path("experiment").path("startedAtMillis").asLong())
                .as("a ramp keeps the start, so the hashes stay").isEqualTo(e.path("startedAtMillis").asLong());

        HttpResponse<String> ended = call("DELETE", "/experiment?outcome=control", null, etag(v + 2));
        assertThat(ended.statusCode()).as(ended.body()).isEqualTo(200);
        assertThat(ended.headers().firstValue("ETag")).hasValue(etag(v + 3));
        assertThat(json(ended).path("version").asLong()).isEqualTo(v + 3);
        assertThat(json(ended).path("params").path("compression_threshold").asText()).isEqualTo("off");
        assertThat(json(ended).has("experiment")).isFalse();
        assertThat(json(ended).path("ended").path("outcome").asText()).isEqualTo("control");

        HttpResponse<String> none = call("GET", "/experiment", null, null);
        assertError(none, 404, "NO_EXPERIMENT");
        assertThat(json(none).path("lastEnded").path("id").asText()).isEqualTo("ct-1024");
        assertThat(json(none).path("lastEnded").path("outcome").asText()).isEqualTo("control");
        assertThat(json(none).path("lastEnded").path("endedAtMillis").asLong()).isPositive();
        assertThat(json(call("GET", "/params", null, null)).has("experiment")).isFalse();
    }

    @Test
    void adoptSetsTheTreatmentAndEndsTheExperimentInOneVersion() throws Exception {
        assertThat(call("POST", "/experiment", START_CT, null).statusCode()).isEqualTo(201);
        long v = gw.params().version();
        HttpResponse<String> adopted = call("DELETE", "/experiment?outcome=adopt&id=ct-1024", null, etag(v));
        assertThat(adopted.statusCode()).as(adopted.body()).isEqualTo(200);
        assertThat(json(adopted).path("version").asLong()).isEqualTo(v + 1);
        assertThat(json(adopted).path("params").path("compression_threshold").asLong()).isEqualTo(1024);
        assertThat(json(adopted).path("ended").path("outcome").asText()).isEqualTo("adopt");
        assertThat(gw.params().version()).isEqualTo(v + 1);
        assertThat(gw.params().current().experiment()).isNull();
        assertThat(gw.params().params().compressionThresholdBytes()).isEqualTo(1024);
        JsonNode none = json(call("GET", "/experiment", null, null));
        assertThat(none.path("lastEnded").path("outcome").asText()).isEqualTo("adopt");
    }

    @Test
    void aSwitchbackExperimentShowsItsBlockAndDefaultsTo30sBlocks() throws Exception {
        HttpResponse<String> r = call("POST", "/experiment",
                "{\"id\": \"mc-50\", \"parameter\": \"max_connections\", \"treatment\": 50}", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode e = json(r).path("experiment");
        assertThat(e.path("assignment").asText()).isEqualTo("switchback");
        assertThat(e.path("blockMillis").asLong()).isEqualTo(30_000);
        assertThat(e.path("control").asLong()).isEqualTo(100);
        assertThat(e.path("block").isIntegralNumber()).isTrue();
        assertThat(e.path("currentArm").asText()).isIn("control", "treatment");
        assertError(call("PUT", "/experiment", "{\"treatmentShare\": 0.3}", null), 400, "BAD_EXPERIMENT");
    }

    // ---- refusals: nothing changes

    @Test
    void everyMethodNeedsTheAdminToken() throws Exception {
        long v = gw.params().version();
        for (String method : List.of("GET", "POST", "PUT", "DELETE")) {
            String body = method.equals("POST") ? START_CT : method.equals("PUT") ? "{\"treatmentShare\": 0.3}" : null;
            assertThat(admin.send(method, "/experiment", body, null, null).statusCode()).as(method).isEqualTo(401);
            assertThat(admin.send(method, "/experiment", body, TestGateways.TOKEN, null).statusCode())
                    .as(method + " with the client token").isEqualTo(401);
        }
        assertThat(gw.params().version()).isEqualTo(v);
        assertThat(gw.params().current().experiment()).isNull();
    }

    static Stream<Arguments> badStarts() {
        return Stream.of(
                Arguments.of("share above 0.5", "{\"id\": \"x\", \"parameter\": \"compression_threshold\", "
                        + "\"treatment\": 1024, \"treatmentShare\": 0.6}", "treatmentShare"),
                Arguments.of("share below 0.05", "{\"id\": \"x\", \"parameter\": \"compression_threshold\", "
                        + "\"treatment\": 1024, \"treatmentShare\": 0.01}", "treatmentShare"),
                Arguments.of("share missing", "{\"id\": \"x\", \"parameter\": \"compression_threshold\", "
                        + "\"treatment\": 1024}", "treatmentShare"),
                Arguments.of("share not a number", "{\"id\": \"x\", \"parameter\": \"compression_threshold\", "
                        + "\"treatment\": 1024, \"treatmentShare\": \"half\"}", "treatmentShare"),
                Arguments.of("wrong assignment", "{\"id\": \"x\", \"parameter\": \"compression_threshold\", "
                        + "\"treatment\": 1024, \"treatmentShare\": 0.2, \"assignment\": \"switchback\"}",
                        "assignment"),
                Arguments.of("unknown assignment", "{\"id\": \"x\", \"parameter\": \"compression_threshold\", "
                        + "\"treatment\": 1024, \"treatmentShare\": 0.2, \"assignment\": \"coin\"}", "assignment"),
                Arguments.of("unknown parameter", "{\"id\": \"x\", \"parameter\": \"bufer_size\", "
                        + "\"treatment\": 1024, \"treatmentShare\": 0.2}", "parameter"),
                Arguments.of("treatment out of range", "{\"id\": \"x\", \"parameter\": \"compression_threshold\", "
                        + "\"treatment\": 100, \"treatmentShare\": 0.2}", "treatment"),
                Arguments.of("treatment missing", "{\"id\": \"x\", \"parameter\": \"compression_threshold\", "
                        + "\"treatmentShare\": 0.2}", "treatment"),
                Arguments.of("treatment equal to control", "{\"id\": \"x\", \"parameter\": \"compression_threshold\", "
                        + "\"treatment\": \"off\", \"treatmentShare\": 0.2}", "treatment"),
                Arguments.of("bad id", "{\"id\": \"no spaces\", \"parameter\": \"compression_threshold\", "
                        + "\"treatment\": 1024, \"treatmentShare\": 0.2}", "id"),
                Arguments.of("block too short", "{\"id\": \"x\", \"parameter\": \"max_connections\", "
                        + "\"treatment\": 50, \"blockMillis\": 10}", "blockMillis"),
                Arguments.of("not an object", "[1, 2]", "JSON object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badStarts")
    void aBadStartIs400NamingTheField(String what, String body, String field) throws Exception {
        long v = gw.params().version();
        HttpResponse<String> r = call("POST", "/experiment", body, null);
        assertError(r, 400, "BAD_EXPERIMENT");
        assertThat(json(r).path("message").asText()).startsWith(field.equals("JSON object") ? "the body" : field);
        assertThat(gw.params().version()).isEqualTo(v);
        assertThat(gw.params().current().experiment()).isNull();
    }

    @Test
    void badJsonIs400() throws Exception {
        long v = gw.params().version();
        for (String body : List.of("{\"id\": ", "{]")) {
            assertError(call("POST", "/experiment", body, null), 400, "BAD_JSON");
        }
        assertThat(call("POST", "/experiment", "", null).statusCode()).isEqualTo(400);
        assertThat(gw.params().version()).isEqualTo(v);
    }

    @Test
    void oneExperimentPerNode() throws Exception {
        assertThat(call("POST", "/experiment", START_CT, null).statusCode()).isEqualTo(201);
        long v = gw.params().version();
        HttpResponse<String> r = call("POST", "/experiment", "{\"id\": \"bs\", \"parameter\": \"buffer_size\", "
                + "\"treatment\": 16384, \"treatmentShare\": 0.2}", null);
        assertError(r, 409, "EXPERIMENT_RUNNING");
        assertThat(json(r).path("id").asText()).isEqualTo("ct-1024");
        assertThat(json(r).path("message").asText()).contains("ct-1024");
        assertThat(gw.params().version()).isEqualTo(v);
    }

    @Test
    void aControlThatIsNotTheNodesValueIs409() throws Exception {
        long v = gw.params().version();
        HttpResponse<String> r = call("POST", "/experiment", "{\"id\": \"x\", \"parameter\": \"compression_threshold\","
                + " \"control\": 2048, \"treatment\": 1024, \"treatmentShare\": 0.2}", null);
        assertError(r, 409, "CONTROL_MOVED");
        assertThat(json(r).path("message").asText()).contains("off").contains("2048");
        assertThat(gw.params().version()).isEqualTo(v);
        HttpResponse<String> ok = call("POST", "/experiment", "{\"id\": \"x\", \"parameter\": "
                + "\"compression_threshold\", \"control\": \"off\", \"treatment\": 1024, \"treatmentShare\": 0.2}",
                null);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
    }

    @Test
    void theExperimentsParameterCannotBeMovedUnderIt() throws Exception {
        assertThat(call("POST", "/experiment", START_CT, null).statusCode()).isEqualTo(201);
        long v = gw.params().version();
        HttpResponse<String> r = admin.put("/params", "{\"compression_threshold\": 2048}", TestGateways.ADMIN_TOKEN);
        assertError(r, 409, "EXPERIMENT_RUNNING");
        assertThat(json(r).path("id").asText()).isEqualTo("ct-1024");
        assertThat(gw.params().version()).isEqualTo(v);
        // the other parameters stay tunable
        assertThat(admin.put("/params", "{\"max_connections\": 90}", TestGateways.ADMIN_TOKEN).statusCode())
                .isEqualTo(200);
        assertThat(gw.params().current().experiment().id()).isEqualTo("ct-1024");
    }

    @Test
    void aMovedVersionIs412AndAMalformedIfMatch400() throws Exception {
        long v = gw.params().version();
        HttpResponse<String> r = call("POST", "/experiment", START_CT, etag(v - 1));
        assertError(r, 412, "VERSION_MOVED");
        assertThat(json(r).path("version").asLong()).isEqualTo(v);
        assertThat(r.headers().firstValue("ETag")).hasValue(etag(v));
        assertError(call("POST", "/experiment", START_CT, "yesterday"), 400, "BAD_IF_MATCH");
        assertThat(gw.params().current().experiment()).isNull();

        assertThat(call("POST", "/experiment", START_CT, "*").statusCode()).isEqualTo(201);
        long running = gw.params().version();
        assertError(call("PUT", "/experiment", "{\"treatmentShare\": 0.3}", etag(v)), 412, "VERSION_MOVED");
        assertError(call("DELETE", "/experiment?outcome=adopt", null, etag(v)), 412, "VERSION_MOVED");
        assertError(call("DELETE", "/experiment", null, "\"v3\""), 400, "BAD_IF_MATCH");
        assertThat(gw.params().version()).isEqualTo(running);
        assertThat(gw.params().current().experiment().treatmentShare()).isEqualTo(0.2);
    }

    @Test
    void badRampsAndEndsAre400Or409() throws Exception {
        assertThat(call("POST", "/experiment", START_CT, null).statusCode()).isEqualTo(201);
        long v = gw.params().version();
        for (String body : List.of("{\"treatmentShare\": 0.51}", "{\"treatmentShare\": 0.049}",
                "{\"treatmentShare\": \"more\"}", "{}", "[0.3]")) {
            assertError(call("PUT", "/experiment", body, null), 400, "BAD_EXPERIMENT");
        }
        assertError(call("DELETE", "/experiment?outcome=maybe", null, null), 400, "BAD_OUTCOME");
        HttpResponse<String> other = call("DELETE", "/experiment?id=someone-else", null, null);
        assertError(other, 409, "EXPERIMENT_MISMATCH");
        assertThat(json(other).path("id").asText()).isEqualTo("ct-1024");
        assertThat(gw.params().version()).isEqualTo(v);
        assertThat(gw.params().current().experiment().treatmentShare()).isEqualTo(0.2);
    }

    @Test
    void withoutAnExperimentReadRampAndEndAre404() throws Exception {
        long v = gw.params().version();
        assertError(call("GET", "/experiment", null, null), 404, "NO_EXPERIMENT");
        assertError(call("PUT", "/experiment", "{\"treatmentShare\": 0.3}", null), 404, "NO_EXPERIMENT");
        assertError(call("DELETE", "/experiment", null, null), 404, "NO_EXPERIMENT");
        assertError(call("DELETE", "/experiment?outcome=adopt", null, null), 404, "NO_EXPERIMENT");
        assertThat(gw.params().version()).isEqualTo(v);
    }

    @Test
    void metricsShowARunningExperimentAndItsArms() throws Exception {
        assertThat(admin.get("/metrics", TestGateways.ADMIN_TOKEN).body())
                .containsPattern("qp_experiment_running 0(\\.0)?\\n");
        assertThat(call("POST", "/experiment", START_CT, null).statusCode()).isEqualTo(201);
        try (var c = TestGateways.authed(gw)) {
            String scrape = admin.get("/metrics", TestGateways.ADMIN_TOKEN).body();
            assertThat(scrape).containsPattern("qp_experiment_running 1(\\.0)?\\n")
                    .contains("qp_experiment_sessions{arm=\"control\"}", "qp_experiment_sessions{arm=\"treatment\"}");
            JsonNode sessions = json(call("GET", "/experiment", null, null)).path("experiment").path("sessions");
            assertThat(sessions.path("control").asInt() + sessions.path("treatment").asInt()).isEqualTo(1);
        }
    }
}
