package qp.bench.limit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import qp.protocol.json.QpJson;

/**
 * The gateway's admin API as the agent's {@code AdminApiApplier} uses it: {@code GET /params} with the admin token,
 * and {@code PUT /params} of max_connections with {@code If-Match} on the version just read (412 when it moved:
 * read again and retry).
 */
public final class GatewayAdmin {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** What GET /params says: the version, the node's max_connections, and the experiment running on it, if any. */
    public record Params(long version, long maxConnections, String experimentParameter, String experimentTreatment) {
        public boolean experimentRunning() {
            return experimentParameter != null;
        }
    }

    private final URI base;
    private final String adminToken;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();

    public GatewayAdmin(URI base, String adminToken) {
        this.base = base;
        this.adminToken = adminToken;
    }

    /** Whether {@code /health/live} answers 200. */
    public boolean live() {
        try {
            return http.send(HttpRequest.newBuilder(base.resolve("/health/live")).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public Params params() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request("/params").GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + base + "/params answered " + r.statusCode() + ": " + r.body());
        }
        return parse(r.body());
    }

    /** Sets max_connections; returns the parameters after the change. */
    public Params setMaxConnections(long value) throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 5; attempt++) {
            Params before = params();
            String body = QpJson.string(QpJson.object().put("max_connections", value));
            HttpResponse<String> r = http.send(request("/params").header("If-Match", "\"" + before.version() + "\"")
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                return parse(r.body());
            }
            if (r.statusCode() != 412) { // 412: the version moved between our GET and PUT; read it again
                throw new IOException("PUT " + base + "/params " + body + " answered " + r.statusCode() + ": " + r.body());
            }
        }
        throw new IOException("PUT " + base + "/params: the version kept moving (412 five times)");
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).header("Authorization", "Bearer " + adminToken);
    }

    private static Params parse(String body) throws IOException {
        JsonNode json = QpJson.tree(body.getBytes(StandardCharsets.UTF_8));
        JsonNode max = json.path("params").path("max_connections");
        if (!json.has("version") || !max.canConvertToLong()) {
            throw new IOException("GET /params has no version or max_connections: " + body);
        }
        JsonNode e = json.path("experiment");
        String parameter = e.isObject() ? e.path("parameter").asText(null) : null;
        String treatment = e.isObject() ? e.path("treatment").asText(null) : null;
        return new Params(json.get("version").asLong(), max.asLong(), parameter, treatment);
    }
}
