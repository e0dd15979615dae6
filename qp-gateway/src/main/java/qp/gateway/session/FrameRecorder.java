package qp.gateway.session;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qp.gateway.events.EventEmitter;
import qp.gateway.metrics.GatewayMetrics;
import qp.gateway.experiments.EffectiveParams;
import qp.gateway.experiments.SessionArm;
import qp.gateway.time.GatewayClock;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;
import qp.protocol.frame.Frame;
import qp.protocol.frame.MessageType;

/**
 * Records one session's frames, both directions: the frame meters and one {@link FrameEvent} per frame. The sequence
 * numbers come from here only: an IN frame is numbered when it arrives, an OUT frame when it is written, so a
 * session's numbers follow the order of the wire even though an IN event is emitted after its reply. IO thread only.
 */
final class FrameRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(FrameRecorder.class);

    /** An IN frame as far as it could be read, numbered on arrival and recorded once answered. */
    record In(long seq, String type, int wireBytes, int rawBytes, boolean compressed) {
    }

    private final String nodeId;
    private final String connectionId;
    private final GatewayMetrics metrics;
    private final EventEmitter emitter;
    private final SessionArm arm;
    private final Clock clock;
    /** Null until the session is authenticated (or from the start when authentication is off). */
    private String sessionId;
    private long seq;
    /** the last reply written: the frame it answered (its receipt's nanos, 0 for none) and when it was written */
    private long lastOutAnswering;
    private long lastOutNanos;

    FrameRecorder(String nodeId, String connectionId, GatewayMetrics metrics, EventEmitter emitter, SessionArm arm,
            Clock clock) {
        this.nodeId = nodeId;
        this.connectionId = connectionId;
        this.metrics = metrics;
        this.emitter = emitter;
        this.arm = arm;
        this.clock = clock;
    }

    /** The session has its id: its events carry it, and under a session experiment its arm and bucket. */
    void identify(String sessionId) {
        this.sessionId = sessionId;
        arm.identify(sessionId);
    }

    String sessionId() {
        return sessionId;
    }

    /** A whole frame came in. */
    In arrived(Frame f) {
        metrics.frameIn(f.type(), f.wireBytes());
        return new In(seq++, f.type().name(), f.wireBytes(), f.rawBytes(), f.compressed());
    }

    /** Bytes that do not form a valid frame came in; {@code type} when the header got that far, else null. */
    In arrivedUnreadable(MessageType type, int wireBytes) {
        metrics.frameIn(type, wireBytes);
        return new In(seq++, type == null ? FrameEvent.INVALID_TYPE : type.name(), wireBytes, 0, false);
    }

    /** The IN event of a frame whose reply is written now: its latency runs from its receipt to this moment. */
    void answered(In f, String op, Receipt receipt, String outcome) {
        long latencyNanos = repliedNanos(receipt) - receipt.nanos();
        metrics.latencyNanos(latencyNanos);
        in(f, op, receipt, latencyNanos / 1000, outcome);
    }

    /** When the reply to {@code receipt}'s frame was written: the time {@link #out} just read for it, else now. */
    private long repliedNanos(Receipt receipt) {
        // one clock read per reply, not two; the IN event's latency is then exactly its reply's. Taken once: another
        // frame of the same read answered without a reply of its own reads the clock
        boolean justWritten = lastOutAnswering != 0 && lastOutAnswering == receipt.nanos();
        lastOutAnswering = 0;
        return justWritten ? lastOutNanos : GatewayClock.nanos(clock);
    }

    /** The IN event of a frame that gets no reply (STREAM, ERROR from the client): no latency. */
    void unanswered(In f, Receipt receipt) {
        in(f, null, receipt, 0, FrameEvent.OK);
    }

    /** IN events carry the parameters and arm of the read that brought the frame. */
    private void in(In f, String op, Receipt receipt, long latencyMicros, String outcome) {
        EffectiveParams p = receipt.params();
        emit(new FrameEvent(nodeId, connectionId, f.seq(), sessionId, f.type(), op, Direction.IN, f.wireBytes(),
                f.rawBytes(), f.compressed(), latencyMicros, outcome, p.version(), receipt.epochMillis(),
                p.experimentId(), p.armWire(), p.bucket()));
    }

    /** An OUT frame was handed to the socket. {@code answeringNanos}: receipt of the frame it answers, 0 for none. */
    void out(MessageType type, String op, int wireBytes, int rawBytes, boolean compressed, long answeringNanos,
            String outcome) {
        metrics.frameOut(type, wireBytes);
        long latencyMicros = 0;
        if (answeringNanos != 0) {
            long now = GatewayClock.nanos(clock);
            lastOutAnswering = answeringNanos;
            lastOutNanos = now;
            latencyMicros = (now - answeringNanos) / 1000;
        }
        EffectiveParams p = arm.current();
        emit(new FrameEvent(nodeId, connectionId, seq++, sessionId, type.name(), op, Direction.OUT, wireBytes, rawBytes,
                compressed, latencyMicros, outcome, p.version(), clock.millis(), p.experimentId(), p.armWire(),
                p.bucket()));
    }

    private void emit(FrameEvent event) {
        try {
            emitter.emitFrame(event);
        } catch (RuntimeException e) {
            LOG.warn("event emitter failed; the session goes on", e);
        }
    }
}
