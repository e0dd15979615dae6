package qp.gateway.session;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import qp.gateway.commands.Command;
import qp.gateway.commands.CommandReply;
import qp.protocol.events.FrameEvent;
import qp.protocol.json.QpJson;
import qp.protocol.params.TunableParams;

/**
 * The reply side of one COMMAND: sends exactly one ACK or ERROR with the command's id, on the session's IO thread,
 * and then records the COMMAND's IN event with its latency.
 */
final class PendingCommand implements CommandReply {
    private final Session session;
    private final FrameWriter writer;
    private final FrameRecorder recorder;
    private final Command cmd;
    private final FrameRecorder.In in;
    private final Receipt receipt;
    private boolean done;

    PendingCommand(Session session, FrameWriter writer, FrameRecorder recorder, Command cmd, FrameRecorder.In in,
            Receipt receipt) {
        this.session = session;
        this.writer = writer;
        this.recorder = recorder;
        this.cmd = cmd;
        this.in = in;
        this.receipt = receipt;
    }

    @Override
    public void ack(JsonNode result) {
        byte[] json = QpJson.bytes(result);
        ackRaw(json, 0, json.length);
    }

    @Override
    public void ackRaw(byte[] json, int offset, int length) {
        if (session.onIoThread()) {
            finishAck(json, offset, length); // the hot path: no copy, the ACK is written straight into its frame
        } else {
            byte[] copy = Arrays.copyOfRange(json, offset, offset + length);
            session.onIoThread(() -> finishAck(copy, 0, copy.length));
        }
    }

    private void finishAck(byte[] json, int offset, int length) {
        if (done) {
            return;
        }
        done = true;
        if (session.state().sendsReplies()) {
            writer.sendAck(cmd.id(), json, offset, length, cmd.op(), receipt.nanos());
        }
        recorder.answered(in, cmd.op(), receipt, FrameEvent.OK);
        session.commandAnswered();
    }

    @Override
    public void error(String code, String message) {
        session.onIoThread(() -> finishError(code, message));
    }

    private void finishError(String code, String message) {
        if (done) {
            return;
        }
        done = true;
        if (session.state().sendsReplies()) {
            writer.sendError(cmd.id(), code, message, cmd.op(), receipt.nanos());
        }
        recorder.answered(in, cmd.op(), receipt, code);
        session.commandAnswered();
    }

    @Override
    public void stream(int count, byte[] payload) {
        if (!session.onIoThread()) {
            throw new IllegalStateException("stream() is for handlers answering on the IO thread");
        }
        if (!done) {
            writer.sendStream(count, payload, cmd.op(), receipt.nanos());
        }
    }

    @Override
    public TunableParams params() {
        return receipt.params().params();
    }
}
