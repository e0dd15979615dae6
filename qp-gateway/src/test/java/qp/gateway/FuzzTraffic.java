package qp.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import qp.protocol.frame.FrameEncoder;
import qp.protocol.frame.MessageType;
import qp.protocol.frame.Zlib;
import qp.protocol.json.QpJson;

/**
 * What {@link FuzzTest} sends: batches of valid frames with the number of replies each must get, and bad messages
 * made by {@link Kind}. Each kind's outcome is written down here from PROTOCOL.md's error table (or the gateway
 * README where PROTOCOL.md is silent); nothing here asks the codec what a message means. The bytes are built by
 * hand around {@link FrameEncoder}, which only writes valid frames.
 */
final class FuzzTraffic {
    static final int MAX_FRAME = 1024 * 1024; // max_frame_bytes, PROTOCOL.md's default
    private static final int MAGIC_0 = 0x51;
    private static final int MAGIC_1 = 0x50;
    private static final MessageType[] TYPES = MessageType.values();

    private FuzzTraffic() {
    }

    /** A way to break a message, with the ERROR code and close code the gateway must answer it with. */
    enum Kind {
        BAD_MAGIC("BAD_FRAME", 1002),                    // PROTOCOL.md: wrong magic
        UNKNOWN_TYPE("BAD_FRAME", 1002),                 // unknown type code
        TRUNCATED_HEADER("BAD_FRAME", 1002),             // bytes that do not form whole frames
        PAYLOAD_SHORTER_THAN_LENGTH("BAD_FRAME", 1002),  // bytes that do not form whole frames
        TRAILING_BYTES("BAD_FRAME", 1002),               // bytes that do not form whole frames
        OVERSIZE_LENGTH("FRAME_TOO_LARGE", 1009),        // length over max_frame_bytes
        INFLATES_OVER_MAX("FRAME_TOO_LARGE", 1009),      // gateway README: the limit holds as sent and inflated
        BAD_ZLIB("BAD_FRAME", 1002),                     // undecompressable payload
        MALFORMED_COMMAND("BAD_FRAME", 1002),            // malformed COMMAND JSON
        ACK_FROM_CLIENT("BAD_FRAME", 1002),              // gateway README: ACK is the server's
        BAD_TOKEN("AUTH_FAILED", 1008),                  // PROTOCOL.md Session 1: bad token
        TEXT_MESSAGE("BAD_FRAME", 1003),                 // text message
        EMPTY_MESSAGE("BAD_FRAME", 1002),                // gateway README: an empty binary message holds no frame
        /** Random bit flips in valid frames: the session stays open and answers, or ends with a row of the table. */
        BIT_FLIPS(null, 0);

        final String errorCode;
        final int closeCode;

        Kind(String errorCode, int closeCode) {
            this.errorCode = errorCode;
            this.closeCode = closeCode;
        }
    }

    /** The (ERROR code, close code) rows of PROTOCOL.md a binary message can end a session with. */
    static boolean isATableRow(String errorCode, int closeCode) {
        return ("BAD_FRAME".equals(errorCode) && closeCode == 1002)
                || ("FRAME_TOO_LARGE".equals(errorCode) && closeCode == 1009)
                || ("AUTH_FAILED".equals(errorCode) && closeCode == 1008);
    }

    /**
     * A bad message. {@code repliesBefore}: the replies its valid frames before the bad spot get (then the ERROR
     * follows, and nothing for what comes after the bad spot); -1 for {@link Kind#BIT_FLIPS}, whose outcome is open.
     */
    record Mutant(Kind kind, byte[] bytes, String text, int repliesBefore, String describe) {
    }

    record Batch(byte[] bytes, int frames, int replies, List<Integer> offsets) {
    }

    // ---- valid traffic

    static Batch batch(Random r, int frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Integer[] offsets = new Integer[frames];
        int replies = 0;
        for (int i = 0; i < frames; i++) {
            offsets[i] = out.size();
            boolean compress = r.nextInt(5) == 0;
            byte[] frame;
            switch (r.nextInt(9)) {
                case 0, 1 -> {
                    ObjectNode args = QpJson.object().put("k", text(r, 20)).put("n", r.nextInt());
                    args.putArray("a").add(r.nextDouble()).add(text(r, 5));
                    frame = command(r.nextLong(), "echo", args, compress);
                    replies += 1;
                }
                case 2 -> {
                    frame = command(r.nextInt(), "ping", null, compress);
                    replies += 1;
                }
                case 3 -> {
                    frame = command(r.nextInt(), "op." + text(r, 6), QpJson.object(), compress); // UNKNOWN_OP, stays open
                    replies += 1;
                }
                case 4 -> {
                    int n = r.nextInt(4);
                    frame = command(r.nextInt(), "stream", QpJson.object().put("count", n).put("size", r.nextInt(200)), compress);
                    replies += n + 1;
                }
                case 5 -> {
                    frame = FrameEncoder.encode(MessageType.DATA, bytes(r, r.nextInt(300)), compress);
                    replies += 1;
                }
                case 6 -> frame = FrameEncoder.encode(MessageType.STREAM, bytes(r, r.nextInt(300)), compress);
                case 7 -> {
                    frame = FrameEncoder.encode(MessageType.HEARTBEAT, bytes(r, r.nextInt(20)), compress);
                    replies += 1;
                }
                default -> frame = FrameEncoder.encode(MessageType.ERROR,
                        ("{\"code\":\"" + text(r, 8) + "\",\"message\":\"fuzz\"}").getBytes(StandardCharsets.UTF_8), compress);
            }
            out.writeBytes(frame);
        }
        return new Batch(out.toByteArray(), frames, replies, Arrays.asList(offsets));
    }

    static byte[] command(long id, String op, ObjectNode args, boolean compress) {
        ObjectNode cmd = QpJson.object().put("id", id).put("op", op);
        if (args != null) {
            cmd.set("args", args);
        }
        return FrameEncoder.encode(MessageType.COMMAND, QpJson.bytes(cmd), compress);
    }

    // ---- bad messages, by kind

    static Mutant mutant(Random r) {
        return mutant(r, Kind.values()[r.nextInt(Kind.values().length)]);
    }

    static Mutant mutant(Random r, Kind kind) {
        Batch before = batch(r, r.nextInt(5)); // valid frames first: answered, then the bad spot
        Batch after = batch(r, r.nextInt(3)); // valid frames after the bad spot: never answered
        byte[] one = batch(r, 1).bytes(); // a valid frame to break
        return switch (kind) {
            case BAD_MAGIC -> {
                int at = r.nextInt(2);
                one[at] = (byte) other(r, at == 0 ? MAGIC_0 : MAGIC_1);
                yield bad(kind, before, concat(one, after.bytes()), "magic byte " + at + " = 0x" + hex(one[at]));
            }
            case UNKNOWN_TYPE -> {
                int code = r.nextBoolean() ? 0 : 8 + r.nextInt(0x78); // 0x00, or 0x08..0x7f: none is PROTOCOL.md's
                one[2] = (byte) (code | (r.nextBoolean() ? 0x80 : 0));
                yield bad(kind, before, concat(one, after.bytes()), "type byte 0x" + hex(one[2]));
            }
            case TRUNCATED_HEADER -> {
                int keep = 1 + r.nextInt(6); // fewer than the 7 header bytes, and the message ends
                yield bad(kind, before, Arrays.copyOf(one, keep), keep + " header byte(s)");
            }
            case PAYLOAD_SHORTER_THAN_LENGTH -> {
                int payload = one.length - 7;
                int declared = payload + 1 + r.nextInt(1000);
                ByteBuffer.wrap(one).putInt(3, declared);
                yield bad(kind, before, one, "length " + declared + ", " + payload + " byte(s) follow");
            }
            case TRAILING_BYTES -> {
                Batch whole = batch(r, 1 + r.nextInt(4));
                byte[] tail = bytes(r, 1 + r.nextInt(6)); // under a header's 7 bytes, whatever they are
                yield new Mutant(kind, concat(whole.bytes(), tail), null, whole.replies(), tail.length + " trailing byte(s)");
            }
            case OVERSIZE_LENGTH -> {
                long length = MAX_FRAME + 1L + (r.nextLong() & 0x7fffffffL) % (0xffffffffL - MAX_FRAME);
                ByteBuffer.wrap(one).putInt(3, (int) length);
                yield bad(kind, before, concat(one, after.bytes()), "length " + length);
            }
            case INFLATES_OVER_MAX -> {
                int raw = MAX_FRAME + 1 + r.nextInt(MAX_FRAME);
                byte[] bomb = FrameEncoder.encodeRaw(TYPES[r.nextInt(TYPES.length)], true, Zlib.compress(new byte[raw]));
                yield bad(kind, before, concat(bomb, after.bytes()), raw + " bytes inflated from " + bomb.length);
            }
            case BAD_ZLIB -> badZlib(r, before, after);
            case MALFORMED_COMMAND -> {
                String json = MALFORMED[r.nextInt(MALFORMED.length)].replace("$", text(r, 6));
                byte[] payload = json.equals("UTF8") ? invalidUtf8Command() : json.getBytes(StandardCharsets.UTF_8);
                byte[] frame = FrameEncoder.encode(MessageType.COMMAND, payload, r.nextBoolean());
                yield bad(kind, before, concat(frame, after.bytes()), "COMMAND " + json);
            }
            case ACK_FROM_CLIENT -> bad(kind, before, concat(FrameEncoder.encode(MessageType.ACK,
                    ("{\"id\":" + r.nextInt() + ",\"result\":{}}").getBytes(StandardCharsets.UTF_8), r.nextBoolean()),
                    after.bytes()), "ACK");
            case BAD_TOKEN -> {
                String token = r.nextBoolean() ? "wrong-" + text(r, 10) : "{\"token\":\"wrong-" + text(r, 5) + "\"}";
                byte[] auth = FrameEncoder.encode(MessageType.AUTH, token.getBytes(StandardCharsets.UTF_8), r.nextBoolean());
                yield bad(kind, before, concat(auth, after.bytes()), "AUTH " + token);
            }
            case TEXT_MESSAGE -> new Mutant(kind, null, text(r, 30), 0, "text message");
            case EMPTY_MESSAGE -> new Mutant(kind, new byte[0], null, 0, "empty message");
            case BIT_FLIPS -> {
                byte[] m = batch(r, 1 + r.nextInt(8)).bytes();
                int flips = 1 + r.nextInt(3);
                for (int i = 0; i < flips; i++) {
                    m[r.nextInt(m.length)] ^= (byte) (1 << r.nextInt(8));
                }
                yield new Mutant(kind, m, null, -1, flips + " bit flip(s)");
            }
        };
    }

    /** COMMAND payloads that are not {"id": int64, "op": string, "args": object?}; "$" becomes random text. */
    private static final String[] MALFORMED = {
        "$not json", "[1,2,\"$\"]", "{\"op\":\"$\"}", "{\"id\":1}", "{\"id\":\"1\",\"op\":\"echo\"}",
        "{\"id\":1.5,\"op\":\"echo\"}", "{\"id\":99999999999999999999,\"op\":\"echo\"}", "{\"id\":1,\"op\":7}",
        "{\"id\":1,\"op\":\"echo\",\"args\":[\"$\"]}", "{\"id\":1,\"op\":\"echo\",\"args\":\"$\"}",
        "{\"id\":1,\"op\":\"echo\"", "{\"id\":1,\"op\":\"echo\"} x$", "", "null", "UTF8"};

    private static byte[] invalidUtf8Command() {
        return new byte[] {'{', '"', 'i', 'd', '"', ':', '1', ',', '"', 'o', 'p', '"', ':', '"', (byte) 0xff, '"', '}'};
    }

    private static Mutant badZlib(Random r, Batch before, Batch after) {
        MessageType type = TYPES[r.nextInt(TYPES.length)];
        byte[] stream = Zlib.compress(bytes(r, 10 + r.nextInt(200)));
        byte[] payload;
        String how;
        switch (r.nextInt(3)) {
            case 0 -> { // the two header bytes fail zlib's check: (CMF * 256 + FLG) % 31 != 0
                payload = stream.clone();
                payload[1] = (byte) ((payload[1] & 0xff) + 1 + r.nextInt(30));
                how = "bad zlib header";
            }
            case 1 -> {
                payload = Arrays.copyOf(stream, stream.length - 1 - r.nextInt(4)); // cut inside the Adler-32 trailer
                how = "zlib stream cut short";
            }
            default -> {
                payload = concat(stream, bytes(r, 1 + r.nextInt(5)));
                how = "bytes after the zlib stream";
            }
        }
        return bad(Kind.BAD_ZLIB, before, concat(FrameEncoder.encodeRaw(type, true, payload), after.bytes()), how + " in " + type);
    }

    private static Mutant bad(Kind kind, Batch before, byte[] badPart, String describe) {
        return new Mutant(kind, concat(before.bytes(), badPart), null, before.replies(), describe);
    }

    // ---- bytes

    private static int other(Random r, int not) {
        int v = r.nextInt(255);
        return v >= not ? v + 1 : v;
    }

    private static String hex(byte b) {
        return Integer.toHexString(b & 0xff);
    }

    static byte[] concat(byte[] a, byte[] b) {
        return FrameEncoder.concat(a, b);
    }

    static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    static String text(Random r, int max) {
        int n = r.nextInt(max + 1);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + r.nextInt(26)));
        }
        return sb.toString();
    }
}
