package qp.agent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import qp.protocol.json.QpJson;

/**
 * A gateway's admin API as a test asks it, over HTTP with the admin token: the oracle of what the node runs, never
 * the agent's own report. Also "someone else" who changes the node behind the agent's back.
 */
public final class GatewayAdmin {
    /** An answer: its status and JSON body. */
    public record Answer(int status, JsonNode body) {
    }

    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public GatewayAdmin(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    public static GatewayAdmin of(RunningGateway gw) {
        return new GatewayAdmin(gw.adminUrl(), RunningGateway.ADMIN_TOKEN);
    }

    /** {@code GET /params}: 200 with version and params. */
    public JsonNode params() throws IOException, InterruptedException {
        Answer a = send(request("/params").GET().build());
        if (a.status() != 200) {
            throw new AssertionError("GET /params answered " + a.status() + " " + a.body());
        }
        return a.body();
    }

    public long version() throws IOException, InterruptedException {
        return params().path("version").asLong();
    }

    /** {@code GET /experiment}: 200 with the running one, 404 when none runs (both with lastEnded). */
    public Answer experiment() throws IOException, InterruptedException {
        return send(request("/experiment").GET().build());
    }

    /** {@code PUT /params} of one parameter with {@code If-Match} on the version given. */
    public Answer putParam(String parameter, long value, long ifMatchVersion) throws IOException, InterruptedException {
        return send(request("/params").header("If-Match", "\"" + ifMatchVersion + "\"")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(QpJson.string(QpJson.object().put(parameter, value)))).build());
    }

    /** {@code POST /experiment} of a session experiment, as another tool would start one (no If-Match). */
    public Answer startExperiment(String id, String parameter, long control, long treatment, double share)
            throws IOException, InterruptedException {
        return send(request("/experiment").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(QpJson.string(QpJson.object().put("id", id)
                        .put("parameter", parameter).put("assignment", "session").put("control", control)
                        .put("treatment", treatment).put("treatmentShare", share)))).build());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token);
    }

    private Answer send(HttpRequest r) throws IOException, InterruptedException {
        HttpResponse<byte[]> resp = http.send(r, HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(resp.statusCode(), resp.body().length == 0 ? QpJson.object() : QpJson.tree(resp.body()));
    }
}
