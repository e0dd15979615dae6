package qp.gateway.commands;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import qp.protocol.frame.ErrorCode;

/**
 * {@code stream} with args {@code {"count": n, "size": s}}: n STREAM frames of s bytes, then ACK {@code {"count": n}}.
 * Bounds (BAD_ARGS beyond them, the session stays open): 0 ≤ n ≤ {@value #MAX_COUNT}, 0 ≤ s ≤ max_frame_bytes,
 * n·s ≤ {@value #MAX_TOTAL_BYTES} bytes, so that one command cannot make the gateway queue unbounded output.
 */
final class StreamHandler implements CommandHandler {
    static final int MAX_COUNT = 10_000;
    static final long MAX_TOTAL_BYTES = 8L * 1024 * 1024;
    private static final byte[] PATTERN = "QP stream chunk. ".getBytes(StandardCharsets.US_ASCII);

    @Override
    public void handle(Command command, CommandReply reply) {
        JsonNode args;
        try {
            args = command.args();
        } catch (IOException e) {
            reply.error(ErrorCode.BAD_ARGS, "stream: args are not readable JSON");
            return;
        }
        JsonNode count = args.get("count");
        JsonNode size = args.get("size");
        if (count == null || size == null || !count.isIntegralNumber() || !size.isIntegralNumber()) {
            reply.error(ErrorCode.BAD_ARGS, "stream needs integer args {\"count\": n, \"size\": s}");
            return;
        }
        long n = count.asLong();
        long s = size.asLong();
        long maxSize = reply.params().maxFrameBytes();
        if (n < 0 || n > MAX_COUNT) {
            reply.error(ErrorCode.BAD_ARGS, "stream: count " + count + " is outside 0.." + MAX_COUNT);
            return;
        }
        if (s < 0 || s > maxSize) {
            reply.error(ErrorCode.BAD_ARGS, "stream: size " + size + " is outside 0.." + maxSize + " (max_frame_bytes)");
            return;
        }
        if (n * s > MAX_TOTAL_BYTES) {
            reply.error(ErrorCode.BAD_ARGS, "stream: count x size = " + n * s + " bytes is over " + MAX_TOTAL_BYTES);
            return;
        }
        reply.stream((int) n, payload((int) s));
        byte[] result = ("{\"count\":" + n + "}").getBytes(StandardCharsets.US_ASCII);
        reply.ackRaw(result, 0, result.length);
    }

    private static byte[] payload(int size) {
        byte[] p = new byte[size];
        for (int i = 0; i < size; i++) {
            p[i] = PATTERN[i % PATTERN.length];
        }
        return p;
    }
}
