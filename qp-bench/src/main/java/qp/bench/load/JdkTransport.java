package qp.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import qp.protocol.frame.MessageAssembler;

/**
 * The JDK's {@code java.net.http.WebSocket}, one HttpClient (one selector thread) for all connections. It allows
 * one outstanding send per socket, so each wire queues what the session sends while a send is in progress.
 */
final class JdkTransport implements Transport {
    private final ExecutorService executor;
    private final HttpClient client;

    JdkTransport(int threads) {
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "qp-load-jdk");
            t.setDaemon(true);
            return t;
        });
        this.client = HttpClient.newBuilder().executor(executor).build();
    }

    @Override
    public Wire open(URI uri, LoadSession session) {
        WebSocket ws = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, new Listener(session)).join();
        return new QueuedWire(ws, session);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private static final class QueuedWire implements Wire {
        private final WebSocket ws;
        private final LoadSession session;
        private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
        private boolean sending;

        QueuedWire(WebSocket ws, LoadSession session) {
            this.ws = ws;
            this.session = session;
        }

        @Override
        public void send(ByteBuffer message) {
            synchronized (this) {
                if (sending) {
                    queue.add(message);
                    return;
                }
                sending = true;
            }
            transmit(message);
        }

        private void transmit(ByteBuffer message) {
            ws.sendBinary(message, true).whenComplete((w, error) -> {
                if (error != null) {
                    session.onSendFailure();
                }
                ByteBuffer next;
                synchronized (this) {
                    next = queue.poll();
                    if (next == null) {
                        sending = false;
                    }
                }
                if (next != null) {
                    transmit(next);
                }
            });
        }

        @Override
        public void close(int code) {
            ws.sendClose(code, "load done");
        }
    }

    private static final class Listener implements WebSocket.Listener {
        private final LoadSession session;
        private final MessageAssembler message = new MessageAssembler();

        Listener(LoadSession session) {
            this.session = session;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            ByteBuffer whole = message.add(data, last);
            if (whole != null) {
                session.onMessage(whole);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            session.onClose(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            session.onClose(1006);
        }
    }
}
