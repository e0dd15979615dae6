package qp.bench.limit;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import qp.protocol.frame.Frame;
import qp.protocol.frame.FrameException;
import qp.protocol.frame.FrameReader;
import qp.protocol.frame.MessageAssembler;
import qp.protocol.frame.MessageType;

/**
 * One connection's listener: decodes the binary messages the gateway sends into QP frames (qp-protocol's reader) and
 * queues them in order; the close comes after the last frame, so a user reads the refusal's ERROR before the close.
 */
final class FrameInbox implements WebSocket.Listener {
    private static final long MAX_FRAME_BYTES = 16L * 1024 * 1024;
    /** Queued after the last frame when the connection closes; compared by identity. */
    private static final Frame CLOSED = new Frame(MessageType.HEARTBEAT, false, new byte[0], 0);

    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final MessageAssembler assembler = new MessageAssembler();
    private volatile int closeCode;

    /** The next frame; null when the connection closed first or nothing came within {@code timeout}. */
    Frame next(Duration timeout) throws InterruptedException {
        Frame f = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (f == CLOSED) {
            frames.add(CLOSED); // every later call sees the close too
            return null;
        }
        return f;
    }

    /** The close code the gateway sent (1006 when the connection dropped), 0 while open. */
    int closeCode() {
        return closeCode;
    }

    boolean closed() {
        return closeCode != 0;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        ByteBuffer message = assembler.add(data, last);
        if (message != null) {
            try {
                for (Frame f : FrameReader.readAll(message, MAX_FRAME_BYTES)) {
                    frames.add(f);
                }
            } catch (FrameException e) {
                ws.abort(); // the gateway sent bytes that are not QP: this connection is of no further use
                end(1002);
            }
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        end(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        end(1006);
    }

    private synchronized void end(int code) {
        if (closeCode == 0) {
            closeCode = code;
            frames.add(CLOSED);
        }
    }
}
