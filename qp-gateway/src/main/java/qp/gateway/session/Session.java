package qp.gateway.session;

import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;
import qp.gateway.commands.Command;
import qp.gateway.commands.CommandHandler;
import qp.gateway.commands.CommandParser;
import qp.gateway.experiments.EffectiveParams;
import qp.gateway.experiments.SessionArm;
import qp.gateway.time.GatewayClock;
import qp.protocol.events.FrameEvent;
import qp.protocol.frame.ErrorCode;
import qp.protocol.frame.Frame;
import qp.protocol.frame.FrameException;
import qp.protocol.frame.MessageType;

/**
 * One QP connection. Everything here runs on the connection's XNIO IO thread (replies from asynchronous handlers
 * are moved onto it), so the session needs no locks. Its life is a {@link SessionState}, changed in
 * {@link #moveTo} only. Binary messages are decoded as their bytes arrive ({@link MessageReader}); every frame in
 * and out is numbered and recorded by one {@link FrameRecorder}; every error that ends the session goes through
 * {@link #fail}; the heartbeat runs on the injected clock and {@link SessionTimers}. What it runs with comes from its
 * {@link SessionArm}: the node's parameters, or its arm's value of an experiment's parameter.
 */
public final class Session extends AbstractReceiveListener implements MessageReader.Frames {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    /** After the close frame, how long the client has to answer it before the connection is cut. */
    private static final long CLOSE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final SessionServices services;
    private final WebSocketChannel channel;
    private final String connectionId;
    private final Clock clock;
    private final SessionTimers timers;
    private final SessionArm arm;
    private final FrameRecorder recorder;
    private final FrameWriter writer;
    private final MessageReader reader;
    private final HeartbeatTimer heartbeat;
    private final Runnable paramsChanged;

    private SessionState state;
    /** COMMANDs handed to a handler and not answered yet. */
    private int pendingCommands;
    /** The last read: the receipt of the frames it completed. */
    private Receipt lastRead;
    private XnioExecutor.Key closeGrace;

    Session(SessionServices services, WebSocketChannel channel, String connectionId) {
        this.services = services;
        this.channel = channel;
        this.connectionId = connectionId;
        this.clock = services.clock();
        this.timers = services.timers();
        this.arm = new SessionArm(services.params(), clock);
        this.recorder = new FrameRecorder(services.nodeId(), connectionId, services.metrics(), services.emitter(),
                arm, clock);
        this.writer = new FrameWriter(channel, arm, services.metrics(), recorder, this::pauseReading,
                this::resumeReading);
        this.reader = new MessageReader(channel, connectionId, services.metrics(), arm, this);
        this.heartbeat = new HeartbeatTimer(clock, timers, channel.getIoThread(), arm, this::heartbeatDue,
                this::heartbeatTimedOut);
        this.paramsChanged = heartbeat::rearm;
        this.lastRead = new Receipt(GatewayClock.nanos(clock), clock.millis(), arm.current());
        if (services.authRequired()) {
            state = SessionState.AWAITING_AUTH;
        } else {
            state = SessionState.OPEN;
            recorder.identify(newSessionId());
        }
    }

    /** Starts receiving; called on the IO thread from the connection callback. */
    void start() {
        channel.getReceiveSetter().set(this);
        channel.addCloseTask(ch -> onClosed());
        channel.resumeReceives();
        heartbeat.start();
    }

    // ---- the state: every change goes through here

    private void moveTo(SessionState next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("connection " + connectionId + ": no way from " + state + " to " + next);
        }
        state = next;
    }

    @Override
    public SessionState state() {
        return state;
    }

    // ---- receiving

    @Override
    protected void onBinary(WebSocketChannel ws, StreamSourceFrameChannel message) {
        reader.start(message);
    }

    @Override
    protected void onText(WebSocketChannel ws, StreamSourceFrameChannel message) {
        if (state.handlesFrames()) {
            received();
            fail(ErrorCode.BAD_FRAME_TEXT, "text WebSocket message: QP travels in binary messages only",
                    recorder.arrivedUnreadable(null, 0));
        }
        reader.drain(message);
    }

    @Override
    protected void onPing(WebSocketChannel ws, StreamSourceFrameChannel message) throws IOException {
        heartbeat.traffic(GatewayClock.nanos(clock));
        super.onPing(ws, message);
    }

    @Override
    protected void onError(WebSocketChannel ws, Throwable error) {
        LOG.debug("connection {}: {}", connectionId, error.toString());
        super.onError(ws, error);
    }

    @Override
    public void received() {
        lastRead = new Receipt(GatewayClock.nanos(clock), clock.millis(), arm.current());
        heartbeat.traffic(lastRead.nanos());
    }

    @Override
    public long maxFrameBytes() {
        return lastRead.params().params().maxFrameBytes();
    }

    @Override
    public void unreadable(FrameException e, int wireBytes) {
        fail(e.code(), e.getMessage(), recorder.arrivedUnreadable(e.type(), wireBytes));
    }

    // ---- handling one frame

    @Override
    public void frame(Frame f) {
        FrameRecorder.In in = recorder.arrived(f);
        MessageType t = f.type();
        if (state == SessionState.AWAITING_AUTH && t != MessageType.AUTH && t != MessageType.HEARTBEAT
                && t != MessageType.ACK) {
            fail(ErrorCode.UNAUTHENTICATED, t + " before AUTH: authenticate first", in);
            return;
        }
        switch (t) {
            case HEARTBEAT -> reply(in, MessageType.HEARTBEAT, f.payload());
            case AUTH -> auth(in, f);
            case COMMAND -> command(in, f);
            case DATA -> reply(in, MessageType.ACK, ("{\"bytes\":" + f.rawBytes() + "}").getBytes(StandardCharsets.US_ASCII));
            case STREAM, ERROR -> recorder.unanswered(in, lastRead); // accepted / counted, no reply
            case ACK -> fail(ErrorCode.BAD_FRAME, "ACK is sent by the server only", in);
        }
    }

    /** Answers a frame at once with one frame, then records the frame with its latency. */
    private void reply(FrameRecorder.In in, MessageType type, byte[] payload) {
        writer.send(type, payload, null, lastRead.nanos(), FrameEvent.OK);
        recorder.answered(in, null, lastRead, FrameEvent.OK);
    }

    private void auth(FrameRecorder.In in, Frame f) {
        AuthRequest req = AuthRequest.parse(f.payload());
        if (req.token() == null || !MessageDigest.isEqual(req.token(), services.clientToken())) {
            fail(ErrorCode.AUTH_FAILED, "the token is not valid", in);
            return;
        }
        if (state == SessionState.AWAITING_AUTH) {
            moveTo(SessionState.OPEN);
        }
        writer.compressWhenAsked(req.compression());
        if (recorder.sessionId() == null) {
            long intervalBefore = arm.current().params().heartbeatIntervalMs();
            recorder.identify(newSessionId()); // from here on in its own arm
            if (arm.current().params().heartbeatIntervalMs() != intervalBefore) {
                heartbeat.rearm();
            }
        }
        reply(in, MessageType.ACK, ("{\"session\":\"" + recorder.sessionId() + "\"}").getBytes(StandardCharsets.US_ASCII));
    }

    private void command(FrameRecorder.In in, Frame f) {
        Command cmd;
        try {
            cmd = CommandParser.parse(f.payload());
        } catch (FrameException e) {
            fail(ErrorCode.BAD_FRAME, e.getMessage(), in);
            return;
        }
        pendingCommands++;
        PendingCommand reply = new PendingCommand(this, writer, recorder, cmd, in, lastRead);
        CommandHandler handler = services.commands().handler(cmd.op());
        if (handler == null) {
            reply.error(ErrorCode.UNKNOWN_OP,
                    "unknown op \"" + cmd.op() + "\"; this gateway answers " + services.commands().ops());
            return;
        }
        try {
            handler.handle(cmd, reply);
        } catch (RuntimeException e) {
            LOG.warn("connection {}: op {} failed", connectionId, cmd.op(), e);
            reply.error("INTERNAL", "op " + cmd.op() + " failed in the gateway: " + e);
        }
    }

    /** A COMMAND got its ACK or ERROR. */
    void commandAnswered() {
        pendingCommands--;
        closeIfDrained();
    }

    // ---- the end of a session

    /**
     * The one way a session ends on an error: the ERROR frame, the IN event of what caused it (none for a refused
     * connection), then the close code PROTOCOL.md gives the error.
     */
    private void fail(ErrorCode code, String message, FrameRecorder.In cause) {
        writer.sendError(null, code.wireCode(), message, null, cause == null ? 0 : lastRead.nanos());
        if (cause != null) {
            recorder.answered(cause, null, lastRead, code.wireCode());
        }
        closeWith(code.closeCode(), code.wireCode());
    }

    /** Refuses a connection at once (OVERLOADED, SHUTTING_DOWN): ERROR then close, no frame read. */
    void refuse(ErrorCode code, String message) {
        fail(code, message, null);
    }

    private void heartbeatDue() {
        writer.send(MessageType.HEARTBEAT, new byte[0], null, 0, FrameEvent.OK);
    }

    private void heartbeatTimedOut() {
        services.metrics().heartbeatTimeout();
        closeWith(1001, "heartbeat timeout");
    }

    /** Sends the close frame; the connection ends when the client answers it, or after a grace period. */
    private void closeWith(int code, String reason) {
        if (!state.sendsReplies()) {
            return; // already closing
        }
        moveTo(SessionState.CLOSING);
        heartbeat.stop();
        WebSockets.sendClose(code, reason, channel, null);
        closeGrace = timers.schedule(channel.getIoThread(), () -> IoUtils.safeClose(channel), CLOSE_GRACE_NANOS);
    }

    /** Graceful shutdown: after what this IO thread already has queued, drain, then close with 1001. */
    public void shutdown() {
        channel.getIoThread().execute(() -> {
            if (state.handlesFrames()) {
                moveTo(SessionState.DRAINING); // frames that arrive from here on are read and dropped
            }
            closeIfDrained();
        });
    }

    /** While draining: close (1001) once no COMMAND waits for its reply (e.g. from an upstream service). */
    private void closeIfDrained() {
        if (state == SessionState.DRAINING && pendingCommands == 0 && channel.isOpen()) {
            closeWith(1001, "server shutting down");
        }
    }

    private void onClosed() {
        if (state != SessionState.CLOSED) {
            moveTo(SessionState.CLOSED);
        }
        heartbeat.stop();
        if (closeGrace != null) {
            closeGrace.remove(); // the channel is closed: the grace task would only hold on to it
            closeGrace = null;
        }
        services.sessions().remove(this);
    }

    // ---- threads and parameters

    /** Stops reading: the client has not read megabytes of replies; its requests wait in TCP meanwhile. */
    private void pauseReading() {
        reader.pause();
    }

    private void resumeReading() {
        reader.resume();
    }

    boolean onIoThread() {
        return Thread.currentThread() == channel.getIoThread();
    }

    /** Runs {@code r} on this session's IO thread: at once when already on it. */
    void onIoThread(Runnable r) {
        if (onIoThread()) {
            r.run();
        } else {
            channel.getIoThread().execute(r);
        }
    }

    /**
     * Called from any thread when the parameters or the experiment change: a new heartbeat_interval of the session
     * (the node's, or its arm's) applies at once.
     */
    public void onParamsChanged() {
        channel.getIoThread().execute(paramsChanged);
    }

    private static String newSessionId() {
        return UUID.randomUUID().toString();
    }

    public String connectionId() {
        return connectionId;
    }

    /** The session id, null before AUTH; readable from any thread (the admin API counts sessions per arm). */
    public String sessionId() {
        return arm.sessionId();
    }

    /** What the session runs with now (IO thread). */
    EffectiveParams params() {
        return arm.current();
    }
}
