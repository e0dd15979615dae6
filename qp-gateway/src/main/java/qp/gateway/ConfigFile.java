package qp.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import qp.gateway.params.ParamsUpdate;
import qp.protocol.json.QpJson;
import qp.protocol.params.TunableParameter;

/**
 * The gateway's config file, JSON or Java properties (chosen by the first non-blank character: '{' is JSON).
 * Both spell the same keys; JSON nests them one level:
 * <pre>
 * {"params": {"buffer_size": 16384, "compression_threshold": "off"},
 *  "routes": {"orders.get": "http://127.0.0.1:8080/orders"},
 *  "topics": {"frames": "qp.frames", "node_metrics": "qp.node-metrics"},
 *  "auth": {"required": true},
 *  "upstream_timeout_ms": 5000, "spool_max_bytes": 268435456, "queue_capacity": 100000}
 * </pre>
 * as properties: {@code params.buffer_size=16384}, {@code routes.orders.get=http://...}, {@code topics.frames=...},
 * {@code auth.required=true}, {@code upstream_timeout_ms=5000} ... An unknown key is an error, not ignored.
 */
public record ConfigFile(
        Map<TunableParameter, Long> params,
        Map<String, URI> routes,
        String framesTopic,
        String nodeMetricsTopic,
        boolean authRequired,
        Duration upstreamTimeout,
        long spoolMaxBytes,
        int queueCapacity) {

    public static final long DEFAULT_SPOOL_MAX_BYTES = 256L * 1024 * 1024;
    public static final int DEFAULT_QUEUE_CAPACITY = 100_000;

    public static ConfigFile defaults() {
        return from(Map.of());
    }

    public static ConfigFile load(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Map<String, String> flat = text.strip().startsWith("{") ? flattenJson(text) : properties(text);
        try {
            return from(flat);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    static ConfigFile from(Map<String, String> flat) {
        Map<TunableParameter, Long> params = new EnumMap<>(TunableParameter.class);
        Map<String, URI> routes = new LinkedHashMap<>();
        String frames = "qp.frames";
        String nodeMetrics = "qp.node-metrics";
        boolean authRequired = true;
        Duration upstreamTimeout = Duration.ofSeconds(5);
        long spoolMax = DEFAULT_SPOOL_MAX_BYTES;
        int queueCapacity = DEFAULT_QUEUE_CAPACITY;
        for (Map.Entry<String, String> e : flat.entrySet()) {
            String key = e.getKey();
            String value = e.getValue().strip();
            if (key.startsWith("params.")) {
                String name = key.substring("params.".length());
                TunableParameter p = TunableParameter.byWireName(name);
                if (p == null) {
                    throw new IllegalArgumentException(key + ": unknown parameter");
                }
                try {
                    params.put(p, ParamsUpdate.value(p, TextNode.valueOf(value)));
                } catch (ParamsUpdate.Rejected r) {
                    throw new IllegalArgumentException(r.getMessage());
                }
            } else if (key.startsWith("routes.")) {
                URI uri = URI.create(value);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                    throw new IllegalArgumentException(key + ": " + value + " is not an http(s) URL");
                }
                routes.put(key.substring("routes.".length()), uri);
            } else {
                switch (key) {
                    case "topics.frames" -> frames = value;
                    case "topics.node_metrics" -> nodeMetrics = value;
                    case "auth.required" -> authRequired = bool(key, value);
                    case "upstream_timeout_ms" -> upstreamTimeout = Duration.ofMillis(number(key, value));
                    case "spool_max_bytes" -> spoolMax = number(key, value);
                    case "queue_capacity" -> queueCapacity = (int) number(key, value);
                    default -> throw new IllegalArgumentException(key + ": unknown setting; known: params.<name>, "
                            + "routes.<op>, topics.frames, topics.node_metrics, auth.required, upstream_timeout_ms, "
                            + "spool_max_bytes, queue_capacity");
                }
            }
        }
        return new ConfigFile(params, routes, frames, nodeMetrics, authRequired, upstreamTimeout, spoolMax, queueCapacity);
    }

    /** Puts the file's settings into a gateway config builder. */
    public GatewayConfig.Builder applyTo(GatewayConfig.Builder b) {
        params.forEach(b::param);
        return b.routes(routes).authRequired(authRequired).upstreamTimeout(upstreamTimeout);
    }

    private static long number(String key, String value) {
        try {
            long n = Long.parseLong(value);
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": " + value + " is not a positive integer");
        }
    }

    private static boolean bool(String key, String value) {
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException(key + ": " + value + " is not true or false");
        }
        return Boolean.parseBoolean(value);
    }

    private static Map<String, String> properties(String text) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(text));
        Map<String, String> flat = new LinkedHashMap<>();
        for (String name : p.stringPropertyNames()) {
            flat.put(name, p.getProperty(name));
        }
        return flat;
    }

    private static Map<String, String> flattenJson(String text) throws IOException {
        JsonNode root = QpJson.tree(text.getBytes(StandardCharsets.UTF_8));
        if (!root.isObject()) {
            throw new IllegalArgumentException("the config file must be a JSON object");
        }
        Map<String, String> flat = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> top = root.fields();
        while (top.hasNext()) {
            Map.Entry<String, JsonNode> e = top.next();
            if (e.getValue().isObject()) {
                e.getValue().fields().forEachRemaining(inner ->
                        flat.put(e.getKey() + "." + inner.getKey(), scalar(e.getKey() + "." + inner.getKey(), inner.getValue())));
            } else {
                flat.put(e.getKey(), scalar(e.getKey(), e.getValue()));
            }
        }
        return flat;
    }

    private static String scalar(String key, JsonNode v) {
        if (!v.isValueNode() || v.isNull()) {
            throw new IllegalArgumentException(key + ": expected a number, string or boolean, got " + v);
        }
        return v.asText();
    }
}
