package qp.gateway.session;

import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import qp.gateway.commands.Command;
import qp.gateway.commands.CommandHandler;
import qp.gateway.commands.CommandParser;
import qp.gateway.params.ParamsHolder;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;
import qp.protocol.frame.ErrorCode;
import qp.protocol.frame.Frame;
import qp.protocol.frame.FrameException;
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
    private final MessageReader reader;
    private final HeartbeatTimer heartbeat = new HeartbeatTimer(this);
    private final Runnable paramsChanged = heartbeat::rearm;

    String sessionId;
    boolean compression;
    boolean closing;
    /** Graceful shutdown began: finish what is in flight, drop what arrives after. */
    boolean shuttingDown;
    /** COMMANDs handed to a handler and not answered yet. */
    int pendingCommands;
    long seq;
    private boolean authenticated;
    /** Time, wall time and parameters of the last read: the receive time of the frames it completed. */
    long readNanos;
    long readMillis;
    ParamsHolder.Versioned readParams;

    Session(SessionServices services, WebSocketChannel channel, String connectionId) {
        this.services = services;
        this.channel = channel;
        this.connectionId = connectionId;
        this.writer = new FrameWriter(this);
        this.readParams = services.params().current();
        this.reader = new MessageReader(this, (int) readParams.params().bufferSizeBytes());
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
        heartbeat.start();
    }

    // ---- receiving

    @Override
    protected void onBinary(WebSocketChannel ws, StreamSourceFrameChannel message) {
        reader.start(message);
    }

    @Override
    protected void onText(WebSocketChannel ws, StreamSourceFrameChannel message) {
        if (!closing) {
            stamp();
            long inSeq = seq++;
            services.metrics().frameIn(null, 0);
            fail(inSeq, null, 0, ErrorCode.BAD_FRAME_TEXT, "text WebSocket message: QP travels in binary messages only");
        }
        reader.drain(message);
    }

    @Override
    protected void onPing(WebSocketChannel ws, StreamSourceFrameChannel message) throws IOException {
        heartbeat.traffic(System.nanoTime());
        super.onPing(ws, message);
    }

    @Override
    protected void onError(WebSocketChannel ws, Throwable error) {
        LOG.debug("connection {}: {}", connectionId, error.toString());
        super.onError(ws, error);
    }

    void stamp() {
        readNanos = System.nanoTime();
        readMillis = System.currentTimeMillis();
        readParams = services.params().current();
        heartbeat.traffic(readNanos);
    }

    void badFrame(FrameException e, int wireBytes) {
        long inSeq = seq++;
        services.metrics().frameIn(e.type(), wireBytes);
        fail(inSeq, e.type(), wireBytes, e.code(), e.getMessage());
    }

    // ---- handling one frame

    void handle(Frame f) {
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
    void fail(long inSeq, MessageType type, int wireBytes, ErrorCode code, String message) {
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
        heartbeat.cancel();
        WebSockets.sendClose(code, reason, channel, null);
        channel.getIoThread().executeAfter(() -> IoUtils.safeClose(channel), CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Stops reading: the client has not read megabytes of replies; its requests wait in TCP meanwhile. */
    void pauseReading() {
        reader.pause();
    }

    void resumeReading() {
        reader.resume();
    }

    /** Graceful shutdown: after what this IO thread already has queued, close with 1001. */
    public void shutdown() {
        channel.getIoThread().execute(() -> {
            shuttingDown = true; // frames that arrive from here on are read and dropped
            closeIfDrained();
        });
    }

    /** During shutdown: close (1001) once no COMMAND waits for its reply (e.g. from an upstream service). */
    void closeIfDrained() {
        if (shuttingDown && pendingCommands == 0 && channel.isOpen()) {
            closeWith(1001, "server shutting down");
        }
    }

    private void onClosed() {
        closing = true;
        heartbeat.cancel();
        services.sessions().remove(this);
    }

    boolean onIoThread() {
        return Thread.currentThread() == channel.getIoThread();
    }

    /** Called from any thread when the parameters change: a new heartbeat_interval applies at once. */
    public void onParamsChanged() {
        channel.getIoThread().execute(paramsChanged);
    }

    private static String newSessionId() {
        return UUID.randomUUID().toString();
    }

    public String connectionId() {
        return connectionId;
    }
}
