package qp.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import qp.protocol.frame.Frame;
import qp.protocol.frame.FrameEncoder;
import qp.protocol.frame.FrameException;
import qp.protocol.frame.FrameReader;
import qp.protocol.frame.MessageAssembler;
import qp.protocol.frame.MessageType;
import qp.protocol.json.QpJson;

/**
 * A QP client over the JDK's WebSocket: sends frames, decodes what the server sends, and records how the server
 * closed. Used by tests, the load generator and operators' tools; it is a real RFC 6455 client, not a fake.
 */
public final class QpClient implements AutoCloseable {
    /** A close received from the server. */
    public record Close(int code, String reason) {
    }

    private static final long MAX_INBOUND_FRAME = 64L * 1024 * 1024;

    private final WebSocket ws;
    private final BlockingQueue<Frame> inbox;
    private final CompletableFuture<Close> closed;

    private QpClient(WebSocket ws, BlockingQueue<Frame> inbox, CompletableFuture<Close> closed) {
        this.ws = ws;
        this.inbox = inbox;
        this.closed = closed;
    }

    /** Connects; frames from the server queue up for {@link #next(Duration)}. */
    public static QpClient connect(URI uri) {
        LinkedBlockingQueue<Frame> inbox = new LinkedBlockingQueue<>();
        return connect(uri, inbox::add, inbox);
    }

    /** Connects; every frame from the server goes to {@code onFrame} on the client's receiving thread. */
    public static QpClient connect(URI uri, Consumer<Frame> onFrame) {
        return connect(uri, onFrame, null);
    }

    private static QpClient connect(URI uri, Consumer<Frame> onFrame, BlockingQueue<Frame> inbox) {
        CompletableFuture<Close> closed = new CompletableFuture<>();
        Listener listener = new Listener(onFrame, closed);
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, listener)
                .join();
        return new QpClient(ws, inbox, closed);
    }

    public void send(byte[] message) {
        ws.sendBinary(ByteBuffer.wrap(message), true).join();
    }

    public void send(MessageType type, byte[] payload) {
        send(FrameEncoder.encode(type, payload));
    }

    public void sendText(String text) {
        ws.sendText(text, true).join();
    }

    public void sendCommand(long id, String op, JsonNode args) {
        ObjectNode cmd = QpJson.object().put("id", id).put("op", op);
        if (args != null) {
            cmd.set("args", args);
        }
        send(MessageType.COMMAND, QpJson.bytes(cmd));
    }

    /** Sends AUTH with the token as plain text and returns the server's reply. */
    public Frame auth(String token) throws InterruptedException, TimeoutException {
        send(MessageType.AUTH, token.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return next(Duration.ofSeconds(10));
    }

    /** The next frame from the server. */
    public Frame next(Duration timeout) throws InterruptedException, TimeoutException {
        if (inbox == null) {
            throw new IllegalStateException("this client hands frames to its consumer");
        }
        Frame f = inbox.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (f == null) {
            throw new TimeoutException("no frame from the server within " + timeout
                    + (closed.isDone() ? " (closed: " + closed.join() + ")" : ""));
        }
        return f;
    }

    /** The next frame, or null when none comes within the timeout. */
    public Frame poll(Duration timeout) throws InterruptedException {
        return inbox.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** How the server closed the connection; completes when the close frame arrives or the connection drops (1006). */
    public CompletableFuture<Close> closed() {
        return closed;
    }

    public Close awaitClose(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    public boolean isOpen() {
        return !closed.isDone() && !ws.isOutputClosed();
    }

    @Override
    public void close() {
        if (!ws.isOutputClosed()) {
            try {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                ws.abort();
            }
        }
        if (!closed.isDone()) {
            try {
                closed.get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                ws.abort();
            }
        }
    }

    private static final class Listener implements WebSocket.Listener {
        private final Consumer<Frame> onFrame;
        private final CompletableFuture<Close> closed;
        private final MessageAssembler assembler = new MessageAssembler();

        Listener(Consumer<Frame> onFrame, CompletableFuture<Close> closed) {
            this.onFrame = onFrame;
            this.closed = closed;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            ByteBuffer message = assembler.add(data, last);
            if (message != null) {
                try {
                    for (Frame f : FrameReader.readAll(message, MAX_INBOUND_FRAME)) {
                        onFrame.accept(f);
                    }
                } catch (FrameException e) {
                    closed.completeExceptionally(new IllegalStateException("server sent a bad frame: " + e.getMessage()));
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Close(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(new Close(1006, String.valueOf(error.getMessage())));
        }
    }
}
