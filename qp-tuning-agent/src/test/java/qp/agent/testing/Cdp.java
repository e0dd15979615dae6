package qp.agent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import qp.protocol.json.QpJson;

/** A Chrome DevTools Protocol connection over the JDK's WebSocket: commands with replies, and events. */
public final class Cdp implements AutoCloseable {
    private final WebSocket ws;
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, JsonNode>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();

    private Cdp(URI uri) {
        this.ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, new Listener()).join();
    }

    public static Cdp connect(URI uri) {
        return new Cdp(uri);
    }

    /** Called with (method, params) for every event. */
    public void onEvent(BiConsumer<String, JsonNode> listener) {
        listeners.add(listener);
    }

    public JsonNode send(String method, ObjectNode params) {
        long id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        ObjectNode msg = QpJson.object().put("id", id).put("method", method);
        msg.set("params", params == null ? QpJson.object() : params);
        ws.sendText(QpJson.string(msg), true).join();
        try {
            JsonNode r = reply.get(30, TimeUnit.SECONDS);
            if (r.has("error")) {
                throw new IllegalStateException(method + " failed: " + r.get("error"));
            }
            return r.get("result");
        } catch (Exception e) {
            throw new IllegalStateException(method + ": " + e.getMessage(), e);
        } finally {
            pending.remove(id);
        }
    }

    public JsonNode send(String method) {
        return send(method, null);
    }

    @Override
    public void close() {
        ws.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    JsonNode n = QpJson.tree(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    if (n.has("id")) {
                        CompletableFuture<JsonNode> f = pending.get(n.get("id").asLong());
                        if (f != null) {
                            f.complete(n);
                        }
                    } else if (n.has("method")) {
                        for (BiConsumer<String, JsonNode> l : listeners) {
                            l.accept(n.get("method").asText(), n.get("params"));
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("DevTools sent something that is not JSON", e);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
