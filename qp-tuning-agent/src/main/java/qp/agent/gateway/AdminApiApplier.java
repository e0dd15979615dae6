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
import qp.protocol.experiments.Assignment;
import qp.protocol.experiments.ExperimentSpec;
import qp.protocol.json.QpJson;

/**
 * Talks to the gateways' admin APIs ({@code GET /params}, {@code PUT /params} with {@code If-Match}, and
 * {@code /experiment}). It knows only
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

    @Override
    public State readExperiment(String nodeId) throws GatewayException {
        GatewayEntry g = entry(nodeId);
        HttpResponse<String> r = send(g, request(g, "/experiment").GET().build());
        if (r.statusCode() == 404) {
            JsonNode body = json(g, r.body());
            return new State(read(nodeId).version(), null, lastEnded(body, "id"), lastEnded(body, "outcome"));
        }
        if (r.statusCode() != 200) {
            throw refused(g, "GET /experiment", r);
        }
        return state(g, r);
    }

    @Override
    public State startExperiment(String nodeId, ExperimentSpec spec, long ifMatchVersion) throws GatewayException {
        GatewayEntry g = entry(nodeId);
        var body = QpJson.object().put("id", spec.id()).put("parameter", spec.parameter())
                .put("assignment", spec.assignment().wire());
        putValue(body, "control", spec.control());
        putValue(body, "treatment", spec.treatment());
        if (spec.assignment() == Assignment.SESSION) {
            body.put("treatmentShare", spec.treatmentShare());
        } else {
            body.put("blockMillis", spec.blockMillis());
        }
        HttpResponse<String> r = send(g, request(g, "/experiment").header("If-Match", "\"" + ifMatchVersion + "\"")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        QpJson.string(body))).build());
        if (r.statusCode() == 412) {
            throw new GatewayException(GatewayException.Kind.VERSION_MOVED, g.nodeId() + ": parameter version is no "
                    + "longer " + ifMatchVersion + " (412)");
        }
        if (r.statusCode() == 409) {
            State now = readExperiment(nodeId);
            if (now.runs(spec.id())) {
                return now; // our own POST had landed (a retry after a lost answer or a restart)
            }
            throw refused(g, "POST /experiment " + spec.id(), r);
        }
        if (r.statusCode() != 200 && r.statusCode() != 201) {
            throw refused(g, "POST /experiment " + spec.id(), r);
        }
        return state(g, r); // the answer is GET /experiment's body: no second request
    }

    @Override
    public State rampExperiment(String nodeId, String id, double share) throws GatewayException {
        GatewayEntry g = entry(nodeId);
        HttpResponse<String> r = send(g, request(g, "/experiment").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(QpJson.string(QpJson.object().put("treatmentShare", share))))
                .build());
        if (r.statusCode() != 200) {
            throw refused(g, "PUT /experiment share " + share, r);
        }
        return readExperiment(nodeId);
    }

    @Override
    public State endExperiment(String nodeId, String id, boolean adopt) throws GatewayException {
        GatewayEntry g = entry(nodeId);
        String query = "?id=" + java.net.URLEncoder.encode(id, StandardCharsets.UTF_8) + "&outcome="
                + (adopt ? "adopt" : "control");
        HttpResponse<String> r = send(g, request(g, "/experiment" + query).DELETE().build());
        if (r.statusCode() == 404) {
            return readExperiment(nodeId); // already ended (our DELETE had landed before a restart)
        }
        if (r.statusCode() != 200) {
            throw refused(g, "DELETE /experiment" + query, r);
        }
        return readExperiment(nodeId);
    }

    private State state(GatewayEntry g, HttpResponse<String> r) throws GatewayException {
        JsonNode body = json(g, r.body());
        JsonNode e = body.path("experiment");
        ExperimentSpec running = null;
        if (e.isObject()) {
            try {
                running = new ExperimentSpec(e.path("id").asText(), e.path("parameter").asText(),
                        value(e.path("control")), value(e.path("treatment")), e.path("treatmentShare").asDouble(),
                        Assignment.ofWire(e.path("assignment").asText()), e.path("blockMillis").asLong(),
                        e.path("startedAtMillis").asLong());
            } catch (IllegalArgumentException bad) {
                throw new GatewayException(GatewayException.Kind.REFUSED, g.nodeId() + ": /experiment: " + bad.getMessage());
            }
        }
        long version = body.has("version") ? body.get("version").asLong() : read(g.nodeId()).version();
        return new State(version, running, lastEnded(body, "id"), lastEnded(body, "outcome"));
    }

    private static String lastEnded(JsonNode body, String field) {
        JsonNode v = body.path("lastEnded").path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    private static long value(JsonNode v) {
        return "off".equals(v.asText()) ? 0L : v.asLong();
    }

    private static void putValue(com.fasterxml.jackson.databind.node.ObjectNode body, String field, long value) {
        if (value == 0) {
            body.put(field, "off"); // 0 is "off" where a parameter allows it (TunableParams.OFF)
        } else {
            body.put(field, value);
        }
    }

    private static JsonNode json(GatewayEntry g, String body) throws GatewayException {
        try {
            return QpJson.tree((body == null ? "{}" : body).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new GatewayException(GatewayException.Kind.REFUSED, g.nodeId() + ": /experiment is not JSON");
        }
    }

    private GatewayEntry entry(String nodeId) throws GatewayException {
        GatewayEntry g = gateways.get(nodeId);
        if (g == null) {
            throw new GatewayException(GatewayException.Kind.REFUSED, "node " + nodeId + " is not in the agent's config");
        }
        return g;
    }

    private HttpRequest.Builder request(GatewayEntry g) {
        return request(g, "/params");
    }

    private HttpRequest.Builder request(GatewayEntry g, String path) {
        return HttpRequest.newBuilder(g.adminUrl().resolve(path)).timeout(timeout)
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
