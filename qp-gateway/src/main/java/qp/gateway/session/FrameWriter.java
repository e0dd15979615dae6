package qp.gateway.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qp.gateway.metrics.GatewayMetrics;
import qp.gateway.experiments.SessionArm;
import qp.protocol.events.FrameEvent;
import qp.protocol.frame.Frame;
import qp.protocol.frame.FrameEncoder;
import qp.protocol.frame.FrameHeader;
import qp.protocol.frame.MessageType;
import qp.protocol.frame.Zlib;
import qp.protocol.json.QpJson;
import qp.protocol.params.TunableParams;

/**
 * Writes a session's outgoing frames: compresses when the session asked for it and the payload reaches
 * compression_threshold, batches STREAM frames into messages of up to buffer_size bytes (both the session's own
 * values: its arm's under an experiment), and has the recorder count and record every frame it writes. IO thread only.
 */
final class FrameWriter {
    private static final Logger LOG = LoggerFactory.getLogger(FrameWriter.class);
    /** Above this many bytes queued for a client that does not read, the session stops reading its requests. */
    static final long PAUSE_ABOVE_BYTES = 4L * 1024 * 1024;
    /** ... and reads again once the queue is down to this. */
    static final long RESUME_BELOW_BYTES = 1024 * 1024;

    private final WebSocketChannel channel;
    private final SessionArm arm;
    private final GatewayMetrics metrics;
    private final FrameRecorder recorder;
    /** The client does not read: stop reading its requests; and read them again. */
    private final Runnable pause;
    private final Runnable resume;
    /** Called on the IO thread when a message has been written (or failed); its context is the message buffer. */
    private final WebSocketCallback<ByteBuffer> onWritten = new WebSocketCallback<>() {
        @Override
        public void complete(WebSocketChannel channel, ByteBuffer message) {
            written(message.capacity());
        }

        @Override
        public void onError(WebSocketChannel channel, ByteBuffer message, Throwable throwable) {
            LOG.debug("send failed: {}", throwable.toString());
            written(message.capacity());
        }
    };
    /** Bytes handed to Undertow and not yet written to the socket. */
    private long queuedBytes;
    /** The session asked for compression (AUTH {@code "compression": true}). */
    private boolean compression;

    FrameWriter(WebSocketChannel channel, SessionArm arm, GatewayMetrics metrics, FrameRecorder recorder,
            Runnable pause, Runnable resume) {
        this.channel = channel;
        this.arm = arm;
        this.metrics = metrics;
        this.recorder = recorder;
        this.pause = pause;
        this.resume = resume;
    }

    /** What the last good AUTH asked for. */
    void compressWhenAsked(boolean asked) {
        compression = asked;
    }

    /** Sends one binary message (exactly the buffer's capacity) and pauses the session's reading when the client lags. */
    private void write(ByteBuffer message) {
        queuedBytes += message.capacity();
        WebSockets.sendBinary(message, channel, onWritten, message);
        metrics.messageOut();
        if (queuedBytes > PAUSE_ABOVE_BYTES) {
            pause.run();
        }
    }

    private void written(int bytes) {
        queuedBytes -= bytes;
        if (queuedBytes <= RESUME_BELOW_BYTES) {
            resume.run();
        }
    }

    long queuedBytes() {
        return queuedBytes;
    }

    private boolean compress(TunableParams p, int rawBytes) {
        return compression && p.compressionOn() && rawBytes >= p.compressionThresholdBytes();
    }

    private boolean writable() {
        return channel.isOpen() && !channel.isCloseFrameSent();
    }

    /** One frame in its own message. {@code answeringNanos}: receipt of the frame this answers, 0 for none. */
    void send(MessageType type, byte[] raw, String op, long answeringNanos, String outcome) {
        if (!writable()) {
            return;
        }
        TunableParams p = arm.current().params();
        boolean compressed = compress(p, raw.length);
        byte[] wire = compressed ? Zlib.compress(raw) : raw;
        ByteBuffer frame = ByteBuffer.allocate(Frame.HEADER_BYTES + wire.length);
        FrameEncoder.writeHeader(frame, type.code() | (compressed ? FrameHeader.COMPRESSED_BIT : 0), wire.length);
        frame.put(wire).flip();
        write(frame);
        recorder.out(type, op, frame.limit(), raw.length, compressed, answeringNanos, outcome);
    }

    void sendError(Long id, String code, String message, String op, long answeringNanos) {
        ObjectNode json = QpJson.object();
        if (id != null) {
            json.put("id", id.longValue());
        }
        json.put("code", code).put("message", message);
        metrics.error(code);
        send(MessageType.ERROR, QpJson.bytes(json), op, answeringNanos, code);
    }

    /** {@code count} STREAM frames of {@code raw}, packed whole into messages of at most buffer_size bytes. */
    void sendStream(int count, byte[] raw, String op, long answeringNanos) {
        if (!writable() || count == 0) {
            return;
        }
        TunableParams p = arm.current().params();
        boolean compressed = compress(p, raw.length);
        byte[] wire = compressed ? Zlib.compress(raw) : raw;
        int frameBytes = Frame.HEADER_BYTES + wire.length;
        int perMessage = (int) Math.max(1, Math.min(count, p.bufferSizeBytes() / frameBytes));
        byte[] header = new byte[Frame.HEADER_BYTES];
        FrameEncoder.writeHeader(ByteBuffer.wrap(header), MessageType.STREAM.code() | (compressed ? FrameHeader.COMPRESSED_BIT : 0), wire.length);
        for (int left = count; left > 0; ) {
            int k = Math.min(perMessage, left);
            ByteBuffer message = ByteBuffer.allocate(k * frameBytes);
            for (int i = 0; i < k; i++) {
                message.put(header).put(wire);
            }
            write(message.flip());
            for (int i = 0; i < k; i++) {
                recorder.out(MessageType.STREAM, op, frameBytes, raw.length, compressed, answeringNanos, FrameEvent.OK);
            }
            left -= k;
        }
    }

    private static final byte[] ACK_PREFIX = "{\"id\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] ACK_RESULT = ",\"result\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * ACK {@code {"id": id, "result": <json>}} written straight into the frame buffer (the hot path of echo): no
     * intermediate payload array unless it is to be compressed.
     */
    void sendAck(long id, byte[] json, int offset, int length, String op, long answeringNanos) {
        if (!writable()) {
            return;
        }
        TunableParams p = arm.current().params();
        int idDigits = digits(id);
        int rawBytes = ACK_PREFIX.length + idDigits + ACK_RESULT.length + length + 1;
        if (compress(p, rawBytes)) {
            send(MessageType.ACK, ackPayload(id, json, offset, length), op, answeringNanos, FrameEvent.OK);
            return;
        }
        ByteBuffer frame = ByteBuffer.allocate(Frame.HEADER_BYTES + rawBytes);
        FrameEncoder.writeHeader(frame, MessageType.ACK.code(), rawBytes);
        writeAckPayload(frame, id, idDigits, json, offset, length);
        write(frame.flip());
        recorder.out(MessageType.ACK, op, frame.limit(), rawBytes, false, answeringNanos, FrameEvent.OK);
    }

    static byte[] ackPayload(long id, byte[] json, int offset, int length) {
        int idDigits = digits(id);
        ByteBuffer out = ByteBuffer.allocate(ACK_PREFIX.length + idDigits + ACK_RESULT.length + length + 1);
        writeAckPayload(out, id, idDigits, json, offset, length);
        return out.array();
    }

    private static void writeAckPayload(ByteBuffer out, long id, int idDigits, byte[] json, int offset, int length) {
        out.put(ACK_PREFIX);
        int end = out.position() + idDigits;
        int i = end - 1;
        boolean negative = id < 0;
        long v = negative ? id : -id; // digits from a negative value, so that Long.MIN_VALUE works too
        if (v == 0) {
            out.put(i, (byte) '0');
        }
        while (v != 0) {
            out.put(i--, (byte) ('0' - (v % 10)));
            v /= 10;
        }
        if (negative) {
            out.put(i, (byte) '-');
        }
        out.position(end);
        out.put(ACK_RESULT).put(json, offset, length).put((byte) '}');
    }

    /** Characters of a long in decimal, sign included. */
    static int digits(long id) {
        int n = id < 0 ? 2 : 1;
        long v = id < 0 ? id : -id;
        while (v <= -10) {
            v /= 10;
            n++;
        }
        return n;
    }
}
