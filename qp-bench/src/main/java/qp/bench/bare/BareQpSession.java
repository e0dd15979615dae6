package qp.bench.bare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.xnio.Pooled;
import qp.protocol.frame.ErrorCode;
import qp.protocol.frame.Frame;
import qp.protocol.frame.FrameEncoder;
import qp.protocol.frame.FrameException;
import qp.protocol.frame.FrameReader;
import qp.protocol.frame.MessageType;
import qp.protocol.json.QpJson;

/**
 * One session of the bare server: QP framing and the built-in ops, nothing else. No events, no metrics, no
 * parameters, no heartbeat timer: it is the ceiling the gateway is measured against, so it does only the work
 * every correct QP server must do (read the frame, parse the COMMAND JSON, write the reply).
 */
final class BareQpSession extends AbstractReceiveListener {
    private static final AtomicLong SESSION_IDS = new AtomicLong();

    private final long maxFrameBytes;
    private boolean authenticated;

    BareQpSession(long maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
        Pooled<ByteBuffer[]> data = message.getData();
        try {
            FrameReader reader = new FrameReader(WebSockets.mergeBuffers(data.getResource()), maxFrameBytes);
            while (reader.hasNext() && channel.isOpen()) {
                if (!handle(channel, reader.next())) {
                    return;
                }
            }
        } catch (FrameException e) {
            fail(channel, e.code());
        } finally {
            data.free();
        }
    }

    @Override
    protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message) {
        fail(channel, ErrorCode.BAD_FRAME_TEXT);
    }

    /** Handles one frame; false when the session ended. */
    private boolean handle(WebSocketChannel channel, Frame frame) throws FrameException {
        switch (frame.type()) {
            case HEARTBEAT -> send(channel, MessageType.HEARTBEAT, frame.payload());
            case AUTH -> {
                authenticated = true; // the ceiling accepts any token
                send(channel, MessageType.ACK, QpJson.bytes(QpJson.object()
                        .put("session", "bare-" + SESSION_IDS.incrementAndGet())));
            }
            case COMMAND, DATA, STREAM -> {
                if (!authenticated) {
                    fail(channel, ErrorCode.UNAUTHENTICATED);
                    return false;
                }
                if (frame.type() == MessageType.COMMAND) {
                    command(channel, frame.payload());
                } else if (frame.type() == MessageType.DATA) {
                    send(channel, MessageType.ACK, QpJson.bytes(QpJson.object().put("bytes", frame.rawBytes())));
                }
            }
            case ERROR, ACK -> {
                // a client's ERROR is counted by a real server; the ceiling has no counters. ACK is not a client frame.
            }
        }
        return true;
    }

    private void command(WebSocketChannel channel, byte[] json) throws FrameException {
        JsonNode cmd;
        try {
            cmd = QpJson.tree(json);
        } catch (IOException e) {
            throw new FrameException(ErrorCode.BAD_FRAME, MessageType.COMMAND, "malformed COMMAND JSON");
        }
        JsonNode id = cmd == null ? null : cmd.get("id");
        JsonNode op = cmd == null ? null : cmd.get("op");
        if (id == null || !id.canConvertToLong() || !id.isIntegralNumber() || op == null || !op.isTextual()) {
            throw new FrameException(ErrorCode.BAD_FRAME, MessageType.COMMAND, "COMMAND needs an int64 id and a string op");
        }
        JsonNode args = cmd.get("args");
        ObjectNode reply = QpJson.object().put("id", id.asLong());
        switch (op.asText()) {
            case "echo" -> reply.set("result", args == null ? QpJson.object() : args);
            case "ping" -> reply.set("result", QpJson.object().put("ts", System.currentTimeMillis()));
            case "stream" -> {
                int count = args == null ? 0 : args.path("count").asInt(0);
                int size = args == null ? 0 : args.path("size").asInt(0);
                byte[] chunk = new byte[Math.max(0, size)];
                for (int i = 0; i < count; i++) {
                    send(channel, MessageType.STREAM, chunk);
                }
                reply.set("result", QpJson.object().put("count", count));
            }
            default -> {
                ObjectNode err = QpJson.object().put("id", id.asLong()).put("code", ErrorCode.UNKNOWN_OP.wireCode())
                        .put("message", "unknown op " + op.asText());
                send(channel, MessageType.ERROR, QpJson.bytes(err));
                return;
            }
        }
        send(channel, MessageType.ACK, QpJson.bytes(reply));
    }

    private static void send(WebSocketChannel channel, MessageType type, byte[] payload) {
        WebSockets.sendBinary(ByteBuffer.wrap(FrameEncoder.encode(type, payload)), channel, null);
    }

    private static void fail(WebSocketChannel channel, ErrorCode code) {
        ObjectNode err = QpJson.object().put("code", code.wireCode()).put("message", code.name());
        send(channel, MessageType.ERROR, QpJson.bytes(err));
        WebSockets.sendClose(code.closeCode(), code.wireCode().toLowerCase(java.util.Locale.ROOT), channel, null);
    }

}
