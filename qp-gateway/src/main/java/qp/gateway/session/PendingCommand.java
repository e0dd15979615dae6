package qp.gateway.session;

import com.fasterxml.jackson.databind.JsonNode;
import qp.gateway.commands.Command;
import qp.gateway.commands.CommandReply;
import qp.gateway.params.ParamsHolder;
import qp.protocol.events.FrameEvent;
import qp.protocol.frame.Frame;
import qp.protocol.json.QpJson;
import qp.protocol.params.TunableParams;

/**
 * The reply side of one COMMAND: sends exactly one ACK or ERROR with the command's id, on the session's IO thread,
 * and then records the COMMAND's IN event with its latency.
 */
final class PendingCommand implements CommandReply {
    private final Session s;
    private final Command cmd;
    private final long inSeq;
    private final Frame frame;
    private final long receivedNanos;
    private final long receivedMillis;
    private final ParamsHolder.Versioned params;
    private boolean done;

    PendingCommand(Session s, Command cmd, long inSeq, Frame frame) {
        this.s = s;
        this.cmd = cmd;
        this.inSeq = inSeq;
        this.frame = frame;
        this.receivedNanos = s.readNanos;
        this.receivedMillis = s.readMillis;
        this.params = s.readParams;
        s.pendingCommands++;
    }

    @Override
    public void ack(JsonNode result) {
        byte[] json = QpJson.bytes(result);
        ackRaw(json, 0, json.length);
    }

    @Override
    public void ackRaw(byte[] json, int offset, int length) {
        if (s.onIoThread()) {
            finishAck(json, offset, length); // the hot path: no copy, the ACK is written straight into its frame
        } else {
            byte[] copy = java.util.Arrays.copyOfRange(json, offset, offset + length);
            s.channel.getIoThread().execute(() -> finishAck(copy, 0, copy.length));
        }
    }

    private void finishAck(byte[] json, int offset, int length) {
        if (done) {
            return;
        }
        done = true;
        if (!s.closing) {
            s.writer.sendAck(cmd.id(), json, offset, length, cmd.op(), receivedNanos);
        }
        s.inEvent(inSeq, frame, cmd.op(), receivedNanos, receivedMillis, params.version(), FrameEvent.OK);
        answered();
    }

    @Override
    public void error(String code, String message) {
        onIoThread(() -> finishError(code, message));
    }

    @Override
    public void stream(int count, byte[] payload) {
        if (!s.onIoThread()) {
            throw new IllegalStateException("stream() is for handlers answering on the IO thread");
        }
        if (!done) {
            s.writer.sendStream(count, payload, cmd.op(), receivedNanos);
        }
    }

    @Override
    public TunableParams params() {
        return params.params();
    }

    private void onIoThread(Runnable r) {
        if (s.onIoThread()) {
            r.run();
        } else {
            s.channel.getIoThread().execute(r);
        }
    }

    private void finishError(String code, String message) {
        if (done) {
            return;
        }
        done = true;
        if (!s.closing) {
            s.writer.sendError(cmd.id(), code, message, cmd.op(), receivedNanos);
        }
        s.inEvent(inSeq, frame, cmd.op(), receivedNanos, receivedMillis, params.version(), code);
        answered();
    }

    private void answered() {
        s.pendingCommands--;
        s.closeIfDrained();
    }
}
