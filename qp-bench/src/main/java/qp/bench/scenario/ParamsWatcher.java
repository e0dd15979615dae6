package qp.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads a gateway's parameters through its admin API ({@code GET /params}), to see when a change lands. */
final class ParamsWatcher {
    /** The version and the values, or {@code null} values when the gateway could not be read. */
    record Params(long version, JsonNode values) {
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    private final URI params;
    private final String adminToken;

    ParamsWatcher(URI adminUrl, String adminToken) {
        this.params = adminUrl.resolve("/params");
        this.adminToken = adminToken;
    }

    Params read() {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(params).timeout(Duration.ofSeconds(3))
                    .header("Authorization", "Bearer " + adminToken).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                return new Params(-1, null);
            }
            JsonNode n = qp.protocol.json.QpJson.tree(r.body());
            return new Params(n.path("version").asLong(-1), n.get("params"));
        } catch (IOException e) {
            return new Params(-1, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Params(-1, null);
        }
    }
}
