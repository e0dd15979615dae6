package qp.gateway.testing;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** A bare JDK WebSocket that records whole binary messages as they arrive (QpClient shows frames, not messages). */
public final class RawWs implements AutoCloseable {
    public final List<byte[]> messages = new CopyOnWriteArrayList<>();
    public final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    public final WebSocket ws;

    public RawWs(URI uri) {
        this(uri, HttpClient.newHttpClient());
    }

    public RawWs(URI uri, HttpClient http) {
        ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, new WebSocket.Listener() {
                    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

                    @Override
                    public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                        byte[] b = new byte[data.remaining()];
                        data.get(b);
                        partial.writeBytes(b);
                        if (last) {
                            messages.add(partial.toByteArray());
                            partial.reset();
                        }
                        w.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket w, int statusCode, String reason) {
                        closeCode.complete(statusCode);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket w, Throwable error) {
                        closeCode.complete(1006);
                    }
                }).join();
    }

    public void send(byte[] message) {
        ws.sendBinary(ByteBuffer.wrap(message), true).join();
    }

    @Override
    public void close() {
        ws.abort();
    }
}
