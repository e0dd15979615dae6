package qp.bench.load;

import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.websockets.client.WebSocketClient;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Pooled;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/** Undertow's WebSocket client on an XNIO worker with few I/O threads: each connection lives on one of them. */
final class UndertowTransport implements Transport {
    private final XnioWorker worker;
    private final ByteBufferPool buffers = new DefaultByteBufferPool(true, 16 * 1024);

    UndertowTransport(int ioThreads) throws IOException {
        this.worker = Xnio.getInstance(UndertowTransport.class.getClassLoader()).createWorker(OptionMap.builder()
                .set(Options.WORKER_IO_THREADS, ioThreads)
                .set(Options.WORKER_TASK_CORE_THREADS, 1)
                .set(Options.WORKER_TASK_MAX_THREADS, 1)
                .set(Options.TCP_NODELAY, true)
                .getMap());
    }

    @Override
    public Wire open(URI uri, LoadSession session) throws IOException {
        WebSocketChannel channel = WebSocketClient.connectionBuilder(worker, buffers, uri)
                .setOptionMap(OptionMap.create(Options.TCP_NODELAY, true))
                .connect().get();
        channel.getReceiveSetter().set(new AbstractReceiveListener() {
            @Override
            protected void onFullBinaryMessage(WebSocketChannel ch, BufferedBinaryMessage message) {
                Pooled<ByteBuffer[]> data = message.getData();
                try {
                    session.onMessage(WebSockets.mergeBuffers(data.getResource()));
                } finally {
                    data.free();
                }
            }

            @Override
            protected void onCloseMessage(CloseMessage cm, WebSocketChannel ch) {
                session.onClose(cm.getCode());
            }

            @Override
            protected void onError(WebSocketChannel ch, Throwable error) {
                session.onClose(1006);
                super.onError(ch, error);
            }
        });
        channel.addCloseTask(ch -> session.onClose(1006));
        channel.resumeReceives();
        WebSocketCallback<Void> onSent = new WebSocketCallback<>() {
            @Override
            public void complete(WebSocketChannel ch, Void context) {
            }

            @Override
            public void onError(WebSocketChannel ch, Void context, Throwable throwable) {
                session.onSendFailure();
            }
        };
        return new Wire() {
            @Override
            public void send(ByteBuffer message) {
                WebSockets.sendBinary(message, channel, onSent);
            }

            @Override
            public void close(int code) {
                WebSockets.sendClose(code, "load done", channel, null);
            }
        };
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
