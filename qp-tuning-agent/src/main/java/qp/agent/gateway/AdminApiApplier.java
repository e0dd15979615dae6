package qp.agent.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import qp.agent.config.GatewayEntry;
import qp.protocol.json.QpJson;

/**
 * Talks to the gateways' admin APIs ({@code GET /params}, {@code PUT /params} with {@code If-Match}). It knows only
 * the gateways of the config: asked about another node it refuses before any request is made, so the admin token
 * never goes to an address that is not in the config.
 */
public final class AdminApiApplier implements Applier {
    private final Map<String, GatewayEntry> gateways = new LinkedHashMap<>();
    private final HttpClient http;
    private final Duration timeout;

    public AdminApiApplier(List<GatewayEntry> entries, Duration timeout) {
        entries.forEach(e -> gateways.put(e.nodeId(), e));
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public GatewayParams read(String nodeId) throws GatewayException {
        GatewayEntry g = entry(nodeId);
        HttpResponse<String> r = send(g, request(g).GET().build());
        if (r.statusCode() != 200) {
            throw refused(g, "GET /params", r);
        }
        return parse(g, r.body());
    }

    @Override
    public GatewayParams put(String nodeId, String parameter, long value, long ifMatchVersion) throws GatewayException {
        GatewayEntry g = entry(nodeId);
        // 0 is "off" where a parameter allows it (TunableParams.OFF)
        String body = value == 0 ? QpJson.string(QpJson.object().put(parameter, "off"))
                : QpJson.string(QpJson.object().put(parameter, value));
        HttpResponse<String> r = send(g, request(g).header("If-Match", "\"" + ifMatchVersion + "\"")
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build());
        if (r.statusCode() == 412) {
            throw new GatewayException(GatewayException.Kind.VERSION_MOVED, g.nodeId() + ": parameter version is no "
                    + "longer " + ifMatchVersion + " (412)");
        }
        if (r.statusCode() != 200) {
            throw refused(g, "PUT /params " + body, r);
        }
        return parse(g, r.body());
    }

    private GatewayEntry entry(String nodeId) throws GatewayException {
        GatewayEntry g = gateways.get(nodeId);
        if (g == null) {
            throw new GatewayException(GatewayException.Kind.REFUSED, "node " + nodeId + " is not in the agent's config");
        }
        return g;
    }

    private HttpRequest.Builder request(GatewayEntry g) {
        return HttpRequest.newBuilder(g.adminUrl().resolve("/params")).timeout(timeout)
                .header("Authorization", "Bearer " + g.adminToken());
    }

    private HttpResponse<String> send(GatewayEntry g, HttpRequest req) throws GatewayException {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new GatewayException(GatewayException.Kind.UNREACHABLE, g.nodeId() + " at " + g.adminUrl()
                    + " did not answer (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException(GatewayException.Kind.UNREACHABLE, g.nodeId() + ": interrupted");
        }
    }

    private static GatewayException refused(GatewayEntry g, String what, HttpResponse<String> r) {
        String body = r.body() == null ? "" : r.body();
        return new GatewayException(GatewayException.Kind.REFUSED, g.nodeId() + ": " + what + " answered "
                + r.statusCode() + " " + (body.length() > 300 ? body.substring(0, 300) : body));
    }

    static GatewayParams parse(GatewayEntry g, String body) throws GatewayException {
        JsonNode json;
        try {
            json = QpJson.tree(body.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new GatewayException(GatewayException.Kind.REFUSED, g.nodeId() + ": /params is not JSON");
        }
        Map<String, Long> values = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = json.path("params").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            values.put(f.getKey(), "off".equals(f.getValue().asText()) ? 0L : f.getValue().asLong());
        }
        if (!json.has("version")) {
            throw new GatewayException(GatewayException.Kind.REFUSED, g.nodeId() + ": /params has no version");
        }
        return new GatewayParams(json.get("version").asLong(),
                json.hasNonNull("instanceId") ? json.get("instanceId").asText() : null, values);
    }

    /** The admin URL of a configured node (for messages); null when not configured. */
    public URI adminUrl(String nodeId) {
        GatewayEntry g = gateways.get(nodeId);
        return g == null ? null : g.adminUrl();
    }
}
