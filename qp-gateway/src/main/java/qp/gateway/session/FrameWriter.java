package qp.gateway.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;
import qp.protocol.frame.Frame;
import qp.protocol.frame.FrameEncoder;
import qp.protocol.frame.MessageType;
import qp.protocol.frame.Zlib;
import qp.protocol.json.QpJson;
import qp.protocol.params.TunableParams;

/**
 * Writes a session's outgoing frames: compresses when the session asked for it and the payload reaches
 * compression_threshold, batches STREAM frames into messages of up to buffer_size bytes, counts, and records an OUT
 * event for every frame. IO thread only.
 */
final class FrameWriter {
    private static final Logger LOG = LoggerFactory.getLogger(FrameWriter.class);
    private static final WebSocketCallback<Void> ON_SENT = new WebSocketCallback<>() {
        @Override
        public void complete(WebSocketChannel channel, Void context) {
        }

        @Override
        public void onError(WebSocketChannel channel, Void context, Throwable throwable) {
            LOG.debug("send failed: {}", throwable.toString());
        }
    };

    private final Session s;

    FrameWriter(Session s) {
        this.s = s;
    }

    private boolean compress(TunableParams p, int rawBytes) {
        return s.compression && p.compressionOn() && rawBytes >= p.compressionThresholdBytes();
    }

    private boolean writable() {
        return s.channel.isOpen() && !s.channel.isCloseFrameSent();
    }

    /** One frame in its own message. {@code answeringNanos}: receipt of the frame this answers, 0 for none. */
    void send(MessageType type, byte[] raw, String op, long answeringNanos, String outcome) {
        if (!writable()) {
            return;
        }
        TunableParams p = s.services.params().params();
        boolean compressed = compress(p, raw.length);
        byte[] wire = compressed ? Zlib.compress(raw) : raw;
        ByteBuffer frame = ByteBuffer.allocate(Frame.HEADER_BYTES + wire.length);
        FrameEncoder.writeHeader(frame, type.code() | (compressed ? 0x80 : 0), wire.length);
        frame.put(wire).flip();
        WebSockets.sendBinary(frame, s.channel, ON_SENT);
        s.services.metrics().messageOut();
        sent(type, op, frame.limit(), raw.length, compressed, answeringNanos, outcome);
    }

    void sendError(Long id, String code, String message, String op, long answeringNanos) {
        ObjectNode json = QpJson.object();
        if (id != null) {
            json.put("id", id.longValue());
        }
        json.put("code", code).put("message", message);
        s.services.metrics().error(code);
        send(MessageType.ERROR, QpJson.bytes(json), op, answeringNanos, code);
    }

    /** {@code count} STREAM frames of {@code raw}, packed whole into messages of at most buffer_size bytes. */
    void sendStream(int count, byte[] raw, String op, long answeringNanos) {
        if (!writable() || count == 0) {
            return;
        }
        TunableParams p = s.services.params().params();
        boolean compressed = compress(p, raw.length);
        byte[] wire = compressed ? Zlib.compress(raw) : raw;
        int frameBytes = Frame.HEADER_BYTES + wire.length;
        int perMessage = (int) Math.max(1, Math.min(count, p.bufferSizeBytes() / frameBytes));
        byte[] header = new byte[Frame.HEADER_BYTES];
        FrameEncoder.writeHeader(ByteBuffer.wrap(header), MessageType.STREAM.code() | (compressed ? 0x80 : 0), wire.length);
        for (int left = count; left > 0; ) {
            int k = Math.min(perMessage, left);
            ByteBuffer message = ByteBuffer.allocate(k * frameBytes);
            for (int i = 0; i < k; i++) {
                message.put(header).put(wire);
            }
            WebSockets.sendBinary(message.flip(), s.channel, ON_SENT);
            s.services.metrics().messageOut();
            for (int i = 0; i < k; i++) {
                sent(MessageType.STREAM, op, frameBytes, raw.length, compressed, answeringNanos, FrameEvent.OK);
            }
            left -= k;
        }
    }

    private void sent(MessageType type, String op, int wireBytes, int rawBytes, boolean compressed, long answeringNanos,
            String outcome) {
        s.services.metrics().frameOut(type, wireBytes);
        long latencyMicros = answeringNanos == 0 ? 0 : (System.nanoTime() - answeringNanos) / 1000;
        s.emit(new FrameEvent(s.services.nodeId(), s.connectionId, s.seq++, s.sessionId, type.name(), op,
                Direction.OUT, wireBytes, rawBytes, compressed, latencyMicros, outcome,
                s.services.params().version(), System.currentTimeMillis()));
    }

    static byte[] ackPayload(long id, byte[] result, int offset, int length) {
        byte[] prefix = ("{\"id\":" + id + ",\"result\":").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(prefix, prefix.length + length + 1);
        System.arraycopy(result, offset, out, prefix.length, length);
        out[out.length - 1] = '}';
        return out;
    }
}
