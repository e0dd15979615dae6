package qp.protocol.events;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes Avro's binary encoding of primitive values into a growable buffer that is reused between events: zig-zag
 * varints for {@code int} and {@code long}, one byte for {@code boolean}, eight little-endian bytes for
 * {@code double}, a length and UTF-8 for {@code string}, and a union {@code ["null", T]} as branch index 0 (null) or 1
 * followed by the value. Written by hand rather than with Avro's {@code BinaryEncoder} because the gateway writes one
 * event per frame and this costs less (EventEncodingBenchmark); Avro's own reader is the test oracle.
 */
final class AvroBinaryWriter {
    private byte[] buf = new byte[256];
    private int pos;

    void reset() {
        pos = 0;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    void writeInt(int v) {
        writeLong(v);
    }

    void writeLong(long v) {
        ensure(10);
        long n = (v << 1) ^ (v >> 63); // zig-zag: small magnitudes, either sign, take few bytes
        while ((n & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((n & 0x7F) | 0x80);
            n >>>= 7;
        }
        buf[pos++] = (byte) n;
    }

    void writeBoolean(boolean v) {
        ensure(1);
        buf[pos++] = (byte) (v ? 1 : 0);
    }

    void writeDouble(double v) {
        ensure(8);
        long bits = Double.doubleToRawLongBits(v);
        for (int i = 0; i < 8; i++) {
            buf[pos++] = (byte) (bits >>> (8 * i));
        }
    }

    /** A {@code string}; {@code field} names it in the error when it is null. */
    void writeString(String s, String field) {
        if (s == null) {
            throw new IllegalArgumentException(field + " is null, but it is a not-null field of the binary event encoding");
        }
        int n = s.length();
        int start = pos;
        writeLong(n);
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) { // not ASCII: write it again with its UTF-8 length
                pos = start;
                byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                writeLong(utf8.length);
                ensure(utf8.length);
                System.arraycopy(utf8, 0, buf, pos, utf8.length);
                pos += utf8.length;
                return;
            }
            buf[pos++] = (byte) c;
        }
    }

    /** A {@code ["null", "string"]}. */
    void writeNullableString(String s) {
        if (s == null) {
            writeLong(0);
        } else {
            writeLong(1);
            writeString(s, "");
        }
    }

    /** A {@code ["null", "int"]}. */
    void writeNullableInt(Integer v) {
        if (v == null) {
            writeLong(0);
        } else {
            writeLong(1);
            writeLong(v);
        }
    }

    /** A {@code ["null", "long"]}. */
    void writeNullableLong(Long v) {
        if (v == null) {
            writeLong(0);
        } else {
            writeLong(1);
            writeLong(v);
        }
    }

    private void ensure(int more) {
        if (pos + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
        }
    }
}
