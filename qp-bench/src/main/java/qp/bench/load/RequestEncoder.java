package qp.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import qp.protocol.frame.Frame;
import qp.protocol.frame.FrameEncoder;
import qp.protocol.frame.MessageType;

/**
 * Builds the frames the load generator sends. Echo COMMANDs come from a pre-encoded frame whose id digits are
 * overwritten per request, so the client spends its CPU on the wire, not on JSON: ids are 10 digits wide
 * (starting at {@link #FIRST_ID}) and the COMMAND payload is padded to exactly {@code payloadBytes}.
 */
final class RequestEncoder {
    static final long FIRST_ID = 1_000_000_000L;
    static final long LAST_ID = 9_999_999_999L;
    private static final String ECHO_HEAD = "{\"id\":";
    private static final String ECHO_MID = ",\"op\":\"echo\",\"args\":{\"p\":\"";
    private static final String ECHO_TAIL = "\"}}";
    /** The smallest echo COMMAND this encoder writes (empty padding). */
    static final int MIN_ECHO_PAYLOAD = ECHO_HEAD.length() + 10 + ECHO_MID.length() + ECHO_TAIL.length();

    private final boolean compress;
    private final int streamCount;
    private final int payloadBytes;
    private final byte[] echoTemplate; // a whole frame, header included
    private final int idOffset;
    private final byte[] dataFrame;

    RequestEncoder(int payloadBytes, int streamCount, boolean compress) {
        this.compress = compress;
        this.streamCount = streamCount;
        this.payloadBytes = payloadBytes;
        int pad = Math.max(0, payloadBytes - MIN_ECHO_PAYLOAD);
        String json = ECHO_HEAD + "0".repeat(10) + ECHO_MID + "x".repeat(pad) + ECHO_TAIL;
        this.echoTemplate = FrameEncoder.encode(MessageType.COMMAND, json.getBytes(StandardCharsets.US_ASCII));
        this.idOffset = Frame.HEADER_BYTES + ECHO_HEAD.length();
        byte[] data = new byte[payloadBytes];
        Arrays.fill(data, (byte) 'd');
        this.dataFrame = FrameEncoder.encode(MessageType.DATA, data, compress);
    }

    /** The args object of an echo request of that payload size: what an HTTP echo request carries as its body. */
    static String echoArgs(int payloadBytes) {
        return "{\"p\":\"" + "x".repeat(Math.max(0, payloadBytes - MIN_ECHO_PAYLOAD)) + ECHO_TAIL.substring(0, 2);
    }

    /** The COMMAND payload size of an echo request (the padded JSON). */
    int echoPayloadBytes() {
        return echoTemplate.length - Frame.HEADER_BYTES;
    }

    byte[] echo(long id) {
        byte[] frame = echoTemplate.clone();
        long v = id;
        for (int i = idOffset + 9; i >= idOffset; i--) {
            frame[i] = (byte) ('0' + (int) (v % 10));
            v /= 10;
        }
        if (!compress) {
            return frame;
        }
        return FrameEncoder.encode(MessageType.COMMAND,
                Arrays.copyOfRange(frame, Frame.HEADER_BYTES, frame.length), true);
    }

    byte[] ping(long id) {
        return command("{\"id\":" + id + ",\"op\":\"ping\"}");
    }

    byte[] stream(long id) {
        return command("{\"id\":" + id + ",\"op\":\"stream\",\"args\":{\"count\":" + streamCount
                + ",\"size\":" + payloadBytes + "}}");
    }

    /** A fresh copy each time: Undertow's client masks the buffer it sends in place. */
    byte[] data() {
        return dataFrame.clone();
    }

    private byte[] command(String json) {
        return FrameEncoder.encode(MessageType.COMMAND, json.getBytes(StandardCharsets.US_ASCII), compress);
    }
}
