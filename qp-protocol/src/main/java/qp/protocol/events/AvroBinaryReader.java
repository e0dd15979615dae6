package qp.protocol.events;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the Avro binary encoding that {@link AvroBinaryWriter} writes, strictly: a value that ends inside a field, a
 * varint longer than its type allows, a negative or oversized string length, a union index other than 0 or 1, or
 * invalid UTF-8 throws {@link EventDecodeException} naming the record, the field and the byte offset; nothing is
 * guessed or replaced.
 */
final class AvroBinaryReader {
    private static final RepeatedStrings REPEATED = new RepeatedStrings();
    private final byte[] buf;
    private final String record;
    private int pos;

    AvroBinaryReader(byte[] buf, String record) {
        this.buf = buf;
        this.record = record;
    }

    int position() {
        return pos;
    }

    int remaining() {
        return buf.length - pos;
    }

    int readInt(String field) {
        int start = pos;
        long n = readVarint(field, 5);
        long v = (n >>> 1) ^ -(n & 1);
        if (v != (int) v) {
            throw bad(field, start, "an int varint out of the int range");
        }
        return (int) v;
    }

    long readLong(String field) {
        long n = readVarint(field, 10);
        return (n >>> 1) ^ -(n & 1);
    }

    boolean readBoolean(String field) {
        need(field, 1);
        byte b = buf[pos];
        if (b != 0 && b != 1) {
            throw bad(field, pos, "a boolean byte " + (b & 0xFF) + " (only 0 and 1 are booleans)");
        }
        pos++;
        return b == 1;
    }

    double readDouble(String field) {
        need(field, 8);
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits |= (buf[pos++] & 0xFFL) << (8 * i);
        }
        return Double.longBitsToDouble(bits);
    }

    /**
     * A {@code string} of the few values repeated on every event (node id, type, op, outcome, arm): equal to
     * {@link #readString}, but a short ASCII value seen before comes back as the same {@code String}, unallocated.
     */
    String readRepeatedString(String field) {
        int start = pos;
        long len = readLong(field);
        if (len >= 0 && len <= RepeatedStrings.MAX_LENGTH && len <= remaining()) {
            int n = (int) len;
            int hash = 0;
            for (int i = pos; i < pos + n; i++) {
                byte b = buf[i];
                if (b < 0) { // not ASCII: the general path
                    pos = start;
                    return readString(field);
                }
                hash = 31 * hash + b;
            }
            String s = REPEATED.get(buf, pos, n, hash);
            pos += n;
            return s;
        }
        pos = start;
        return readString(field);
    }

    String readString(String field) {
        int start = pos;
        long len = readLong(field);
        if (len < 0) {
            throw bad(field, start, "a negative string length " + len);
        }
        if (len > remaining()) {
            throw truncated(field, start, "a string of " + len + " bytes, but only " + remaining() + " follow");
        }
        int n = (int) len;
        int from = pos;
        pos += n;
        for (int i = from; i < from + n; i++) {
            if (buf[i] < 0) {
                return utf8(field, from, n);
            }
        }
        return new String(buf, from, n, StandardCharsets.ISO_8859_1); // all ASCII: a straight copy
    }

    /** Whether a {@code ["null", T]} union holds a value (branch 1) rather than null (branch 0). */
    boolean readPresent(String field) {
        int start = pos;
        int index = readInt(field);
        if (index != 0 && index != 1) {
            throw bad(field, start, "union branch " + index + " where only 0 (null) and 1 (value) exist");
        }
        return index == 1;
    }

    String readNullableString(String field) {
        return readPresent(field) ? readString(field) : null;
    }

    String readNullableRepeatedString(String field) {
        return readPresent(field) ? readRepeatedString(field) : null;
    }

    Integer readNullableInt(String field) {
        return readPresent(field) ? readInt(field) : null;
    }

    Long readNullableLong(String field) {
        return readPresent(field) ? readLong(field) : null;
    }

    /** For checks of the codecs (a direction name, a trailing byte): the error with the record, field and offset. */
    EventDecodeException bad(String field, int offset, String what) {
        return new EventDecodeException(
                record + ": " + what + " in field '" + field + "' at byte " + offset + " of " + buf.length);
    }

    private EventDecodeException truncated(String field, int offset, String what) {
        return new EventDecodeException("truncated " + record + ": " + what + " (field '" + field + "' at byte "
                + offset + " of " + buf.length + ")");
    }

    private long readVarint(String field, int maxBytes) {
        int start = pos;
        long n = 0;
        for (int i = 0; i < maxBytes; i++) {
            if (pos >= buf.length) {
                throw truncated(field, start, "the value ends inside a varint");
            }
            byte b = buf[pos++];
            n |= (long) (b & 0x7F) << (7 * i);
            if (b >= 0) {
                return n;
            }
        }
        throw bad(field, start, "a varint longer than " + maxBytes + " bytes");
    }

    private void need(String field, int bytes) {
        if (remaining() < bytes) {
            throw truncated(field, pos, "needs " + bytes + " bytes, but only " + remaining() + " follow");
        }
    }

    private String utf8(String field, int from, int n) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buf, from, n))
                    .toString();
        } catch (CharacterCodingException e) {
            throw bad(field, from, "a string that is not valid UTF-8");
        }
    }
}
