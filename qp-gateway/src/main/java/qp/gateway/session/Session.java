package qp.gateway.session;

import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;
import qp.gateway.commands.Command;
import qp.gateway.commands.CommandHandler;
import qp.gateway.commands.CommandParser;
import qp.gateway.params.ParamsHolder;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;
import qp.protocol.frame.ErrorCode;
import qp.protocol.frame.Frame;
import qp.protocol.frame.FrameException;
import qp.protocol.frame.FrameReader;
import qp.protocol.frame.MessageType;

/**
 * One QP connection. Everything here runs on the connection's XNIO IO thread (replies from asynchronous handlers
 * are moved onto it), so the session state needs no locks. Binary messages are decoded as their bytes arrive:
 * whole frames are handled at once, an oversized or malformed header is answered before the rest of the message.
 */
public final class Session extends AbstractReceiveListener {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final long CLOSE_WAIT_SECONDS = 5;

    final SessionServices services;
    final WebSocketChannel channel;
    final String connectionId;
    final FrameWriter writer;
    private final InboundBuffer inbound;
    private final ChannelListener<StreamSourceFrameChannel> readListener = this::readMessage;
    private final Runnable heartbeatCheck = this::checkHeartbeat;
    private final Runnable paramsChanged = this::rearmHeartbeat;

    String sessionId;
    boolean compression;
    boolean closing;
    long seq;
    private boolean authenticated;
    private long messageBytes;
    /** Time, wall time and parameters of the last read: the receive time of the frames it completed. */
    long readNanos;
    long readMillis;
    ParamsHolder.Versioned readParams;
    /** The binary message being read, null between messages. */
    private StreamSourceFrameChannel current;
    /** Reading stopped because the client does not read what it asked for (see FrameWriter). */
    private boolean paused;
    private boolean decoding;
    private long lastInNanos;
    private boolean heartbeatSent;
    private long heartbeatSentNanos;
    private XnioExecutor.Key heartbeatKey;

    Session(SessionServices services, WebSocketChannel channel, String connectionId) {
        this.services = services;
        this.channel = channel;
        this.connectionId = connectionId;
        this.writer = new FrameWriter(this);
        this.readParams = services.params().current();
        this.inbound = new InboundBuffer((int) readParams.params().bufferSizeBytes());
        this.lastInNanos = System.nanoTime();
        if (!services.authRequired()) {
            authenticated = true;
            sessionId = newSessionId();
        }
    }

    /** Starts receiving; called on the IO thread from the connection callback. */
    void start() {
        channel.getReceiveSetter().set(this);
        channel.addCloseTask(ch -> onClosed());
        channel.resumeReceives();
        armHeartbeat();
    }

    // ---- receiving

    @Override
    protected void onBinary(WebSocketChannel ws, StreamSourceFrameChannel message) {
        messageBytes = 0;
        current = message;
        readMessage(message);
    }

    @Override
    protected void onText(WebSocketChannel ws, StreamSourceFrameChannel message) {
        if (!closing) {
            stamp();
            long inSeq = seq++;
            services.metrics().frameIn(null, 0);
            fail(inSeq, null, 0, ErrorCode.BAD_FRAME_TEXT, "text WebSocket message: QP travels in binary messages only");
        }
        readMessage(message); // drains it
    }

    @Override
    protected void onPing(WebSocketChannel ws, StreamSourceFrameChannel message) throws IOException {
        lastInNanos = System.nanoTime();
        super.onPing(ws, message);
    }

    @Override
    protected void onError(WebSocketChannel ws, Throwable error) {
        LOG.debug("connection {}: {}", connectionId, error.toString());
        super.onError(ws, error);
    }

    private void readMessage(StreamSourceFrameChannel message) {
        try {
            while (true) {
                if (paused && !closing) {
                    message.getReadSetter().set(readListener);
                    message.suspendReads(); // resumeReading() wakes it
                    return;
                }
                ByteBuffer dst = inbound.forRead();
                if (closing) {
                    dst.clear(); // the session is ending: what is left of the message is read and dropped
                }
                int n = message.read(dst);
                if (n == -1) {
                    current = null;
                    message.suspendReads();
                    endOfMessage();
                    return;
                }
                if (n == 0) {
                    message.getReadSetter().set(readListener);
                    message.resumeReads();
                    return;
                }
                if (!closing) {
                    messageBytes += n;
                    stamp();
                    decode();
                }
            }
        } catch (IOException e) {
            LOG.debug("connection {}: read failed: {}", connectionId, e.toString());
            IoUtils.safeClose(channel);
        } catch (RuntimeException e) {
            LOG.warn("connection {}: unexpected failure; closing it", connectionId, e);
            IoUtils.safeClose(channel);
        }
    }

    private void stamp() {
        readNanos = System.nanoTime();
        readMillis = System.currentTimeMillis();
        readParams = services.params().current();
        lastInNanos = readNanos;
        heartbeatSent = false;
    }

    private void decode() {
        decoding = true;
        try {
            decodeFrames();
        } finally {
            decoding = false;
        }
    }

    private void decodeFrames() {
        long maxFrameBytes = readParams.params().maxFrameBytes();
        int scanned = inbound.scan(maxFrameBytes);
        int wholeEnd = scanned >= 0 ? scanned : -scanned - 1;
        if (wholeEnd > inbound.start()) {
            int wholeStart = inbound.start();
            FrameReader reader = new FrameReader(inbound.view(wholeStart, wholeEnd), maxFrameBytes);
            while (reader.hasNext()) {
                if (paused) { // the rest waits in the buffer until the client has read its replies
                    inbound.consumed(wholeEnd - reader.remaining());
                    return;
                }
                int frameBytes = reader.remaining();
                Frame frame;
                try {
                    frame = reader.next();
                } catch (FrameException e) {
                    badFrame(e, frameBytes);
                    return;
                }
                handle(frame);
                if (closing) {
                    return;
                }
            }
        }
        if (scanned < 0) {
            badBytes(wholeEnd, inbound.end(), maxFrameBytes);
            return;
        }
        inbound.consumed(wholeEnd);
    }

    private void endOfMessage() {
        if (!closing) {
            if (messageBytes == 0) {
                long inSeq = seq++;
                services.metrics().frameIn(null, 0);
                fail(inSeq, null, 0, ErrorCode.BAD_FRAME, "empty binary message: a message holds one or more whole frames");
            } else if (!inbound.isEmpty()) {
                badBytes(inbound.start(), inbound.end(), readParams.params().maxFrameBytes());
            }
        }
        inbound.reset((int) services.params().params().bufferSizeBytes());
    }

    /** The frame reader's verdict on bytes already known to be bad. */
    private void badBytes(int from, int to, long maxFrameBytes) {
        try {
            new FrameReader(inbound.view(from, to), maxFrameBytes).next();
            badFrame(new FrameException(ErrorCode.BAD_FRAME, null, "bytes that do not form a whole frame"), to - from);
        } catch (FrameException e) {
            badFrame(e, to - from);
        }
    }

    private void badFrame(FrameException e, int wireBytes) {
        long inSeq = seq++;
        services.metrics().frameIn(e.type(), wireBytes);
        fail(inSeq, e.type(), wireBytes, e.code(), e.getMessage());
    }

    // ---- handling one frame

    private void handle(Frame f) {
        long inSeq = seq++;
        services.metrics().frameIn(f.type(), f.wireBytes());
        MessageType t = f.type();
        if (!authenticated && t != MessageType.AUTH && t != MessageType.HEARTBEAT && t != MessageType.ACK) {
            failFrame(inSeq, f, ErrorCode.UNAUTHENTICATED, t + " before AUTH: authenticate first");
            return;
        }
        switch (t) {
            case HEARTBEAT -> {
                writer.send(MessageType.HEARTBEAT, f.payload(), null, readNanos, FrameEvent.OK);
                inEvent(inSeq, f, null, readNanos, FrameEvent.OK);
            }
            case AUTH -> auth(inSeq, f);
            case COMMAND -> command(inSeq, f);
            case DATA -> {
                byte[] ack = ("{\"bytes\":" + f.rawBytes() + "}").getBytes(StandardCharsets.US_ASCII);
                writer.send(MessageType.ACK, ack, null, readNanos, FrameEvent.OK);
                inEvent(inSeq, f, null, readNanos, FrameEvent.OK);
            }
            case STREAM, ERROR -> inEvent(inSeq, f, null, 0, FrameEvent.OK); // accepted / counted, no reply
            case ACK -> failFrame(inSeq, f, ErrorCode.BAD_FRAME, "ACK is sent by the server only");
        }
    }

    private void auth(long inSeq, Frame f) {
        AuthRequest req = AuthRequest.parse(f.payload());
        if (req.token() == null || !MessageDigest.isEqual(req.token(), services.clientToken())) {
            failFrame(inSeq, f, ErrorCode.AUTH_FAILED, "the token is not valid");
            return;
        }
        authenticated = true;
        compression = req.compression();
        if (sessionId == null) {
            sessionId = newSessionId();
        }
        byte[] ack = ("{\"session\":\"" + sessionId + "\"}").getBytes(StandardCharsets.US_ASCII);
        writer.send(MessageType.ACK, ack, null, readNanos, FrameEvent.OK);
        inEvent(inSeq, f, null, readNanos, FrameEvent.OK);
    }

    private void command(long inSeq, Frame f) {
        Command cmd;
        try {
            cmd = CommandParser.parse(f.payload());
        } catch (FrameException e) {
            failFrame(inSeq, f, ErrorCode.BAD_FRAME, e.getMessage());
            return;
        }
        PendingCommand reply = new PendingCommand(this, cmd, inSeq, f);
        CommandHandler handler = services.commands().handler(cmd.op());
        if (handler == null) {
            reply.error(ErrorCode.UNKNOWN_OP, "unknown op \"" + cmd.op() + "\"; this gateway answers " + services.commands().ops());
            return;
        }
        try {
            handler.handle(cmd, reply);
        } catch (RuntimeException e) {
            LOG.warn("connection {}: op {} failed", connectionId, cmd.op(), e);
            reply.error("INTERNAL", "op " + cmd.op() + " failed in the gateway: " + e);
        }
    }

    /** The IN event of a frame, once its reply (if any) is written: latency from receipt to that moment. */
    void inEvent(long inSeq, Frame f, String op, long receivedNanos, String outcome) {
        inEvent(inSeq, f, op, receivedNanos, readMillis, readParams.version(), outcome);
    }

    void inEvent(long inSeq, Frame f, String op, long receivedNanos, long receivedMillis, long paramVersion,
            String outcome) {
        long latencyNanos = receivedNanos == 0 ? 0 : System.nanoTime() - receivedNanos;
        if (receivedNanos != 0) {
            services.metrics().latencyNanos(latencyNanos);
        }
        emit(new FrameEvent(services.nodeId(), connectionId, inSeq, sessionId, f.type().name(), op, Direction.IN,
                f.wireBytes(), f.rawBytes(), f.compressed(), latencyNanos / 1000, outcome, paramVersion,
                receivedMillis));
    }

    void emit(FrameEvent event) {
        try {
            services.emitter().emitFrame(event);
        } catch (RuntimeException e) {
            LOG.warn("event emitter failed; the session goes on", e);
        }
    }

    // ---- errors that end the session

    private void failFrame(long inSeq, Frame f, ErrorCode code, String message) {
        writer.sendError(null, code.wireCode(), message, null, readNanos);
        inEvent(inSeq, f, null, readNanos, code.wireCode());
        closeWith(code.closeCode(), code.wireCode());
    }

    /** An IN frame that could not be read as a frame: ERROR, its event, then the close code of the error. */
    private void fail(long inSeq, MessageType type, int wireBytes, ErrorCode code, String message) {
        writer.sendError(null, code.wireCode(), message, null, readNanos);
        long latencyNanos = System.nanoTime() - readNanos;
        services.metrics().latencyNanos(latencyNanos);
        emit(new FrameEvent(services.nodeId(), connectionId, inSeq, sessionId,
                type == null ? FrameEvent.INVALID_TYPE : type.name(), null, Direction.IN, wireBytes, 0, false,
                latencyNanos / 1000, code.wireCode(), readParams.version(), readMillis));
        closeWith(code.closeCode(), code.wireCode());
    }

    /** Refuses a connection at once (OVERLOADED, SHUTTING_DOWN): ERROR then close, no frame read. */
    void reject(ErrorCode code, String message) {
        stamp();
        writer.sendError(null, code.wireCode(), message, null, 0);
        closeWith(code.closeCode(), code.wireCode());
    }

    /** Sends the close frame; the connection ends when the client answers it, or after a grace period. */
    void closeWith(int code, String reason) {
        if (closing) {
            return;
        }
        closing = true;
        cancelHeartbeat();
        WebSockets.sendClose(code, reason, channel, null);
        channel.getIoThread().executeAfter(() -> IoUtils.safeClose(channel), CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Stops reading: the client has not read megabytes of replies; its requests wait in TCP meanwhile. */
    void pauseReading() {
        if (!paused && !closing) {
            paused = true;
            services.metrics().readPaused();
            channel.suspendReceives();
        }
    }

    /** Reads again: first the whole frames already buffered, then the rest of the message, then new messages. */
    void resumeReading() {
        if (!paused) {
            return;
        }
        paused = false;
        if (closing || !channel.isOpen()) {
            return;
        }
        channel.resumeReceives(); // the next message; delivered later, from the IO thread's loop
        if (decoding) {
            return; // a write inside decode() drained at once: decode() itself goes on with the next frame
        }
        decode();
        if (!paused && current != null) {
            current.wakeupReads();
        }
    }

    /** Graceful shutdown: after what this IO thread already has queued, close with 1001. */
    public void shutdown() {
        channel.getIoThread().execute(() -> {
            if (channel.isOpen()) {
                closeWith(1001, "server shutting down");
            }
        });
    }

    private void onClosed() {
        closing = true;
        cancelHeartbeat();
        services.sessions().remove(this);
    }

    boolean onIoThread() {
        return Thread.currentThread() == channel.getIoThread();
    }

    // ---- heartbeat: HEARTBEAT after heartbeat_interval of client silence, close 1001 after twice that

    private void armHeartbeat() {
        long intervalNanos = TimeUnit.MILLISECONDS.toNanos(services.params().params().heartbeatIntervalMs());
        long due = heartbeatSent
                ? Math.max(lastInNanos + 2 * intervalNanos, heartbeatSentNanos + intervalNanos)
                : lastInNanos + intervalNanos;
        long delayNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), due - System.nanoTime());
        heartbeatKey = channel.getIoThread().executeAfter(heartbeatCheck, delayNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * A session is closed only after the server's HEARTBEAT went unanswered for an interval and the client has been
     * silent for twice the interval: a shorter heartbeat_interval set at run time warns before it closes anyone.
     */
    private void checkHeartbeat() {
        heartbeatKey = null;
        if (closing || !channel.isOpen()) {
            return;
        }
        long now = System.nanoTime();
        long intervalNanos = TimeUnit.MILLISECONDS.toNanos(services.params().params().heartbeatIntervalMs());
        long silentNanos = now - lastInNanos;
        if (!heartbeatSent) {
            if (silentNanos >= intervalNanos) {
                heartbeatSent = true;
                heartbeatSentNanos = now;
                readParams = services.params().current();
                writer.send(MessageType.HEARTBEAT, new byte[0], null, 0, FrameEvent.OK);
            }
        } else if (silentNanos >= 2 * intervalNanos && now - heartbeatSentNanos >= intervalNanos) {
            services.metrics().heartbeatTimeout();
            closeWith(1001, "heartbeat timeout");
            return;
        }
        armHeartbeat();
    }

    /** Called from any thread when the parameters change: a new heartbeat_interval applies at once. */
    public void onParamsChanged() {
        channel.getIoThread().execute(paramsChanged);
    }

    private void rearmHeartbeat() {
        if (closing || !channel.isOpen()) {
            return;
        }
        cancelHeartbeat();
        armHeartbeat();
    }

    private void cancelHeartbeat() {
        if (heartbeatKey != null) {
            heartbeatKey.remove();
            heartbeatKey = null;
        }
    }

    private static String newSessionId() {
        return UUID.randomUUID().toString();
    }

    public String connectionId() {
        return connectionId;
    }
}
