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
    /** slots of the string cache: direct-mapped by identity hash; a gateway's sender sees ~2 strings per session */
    private static final int CACHE_SLOTS = 1024;
    /** longer strings are written as they come */
    private static final int CACHE_MAX_CHARS = 64;

    private byte[] buf = new byte[256];
    private int pos;
    /** null without a cache; else the string instances last written in each slot and their encoding (length, UTF-8) */
    private final String[] cachedStrings;
    private final byte[][] cachedBytes;

    AvroBinaryWriter() {
        this(false);
    }

    private AvroBinaryWriter(boolean cache) {
        cachedStrings = cache ? new String[CACHE_SLOTS] : null;
        cachedBytes = cache ? new byte[CACHE_SLOTS][] : null;
    }

    /**
     * A writer that remembers the encoding of the string instances it wrote last (by identity, so the same instance
     * costs a copy, not a character-by-character encoding). For one thread that writes many values whose strings
     * repeat as the same objects; it keeps up to {@value #CACHE_SLOTS} strings reachable.
     */
    static AvroBinaryWriter withStringCache() {
        return new AvroBinaryWriter(true);
    }

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
        if (cachedStrings != null && s.length() <= CACHE_MAX_CHARS) {
            writeCached(s);
            return;
        }
        writeEncoded(s);
    }

    private void writeCached(String s) {
        int slot = System.identityHashCode(s) & (CACHE_SLOTS - 1);
        byte[] encoded = cachedBytes[slot];
        if (cachedStrings[slot] != s) {
            int start = pos;
            writeEncoded(s);
            cachedStrings[slot] = s;
            cachedBytes[slot] = Arrays.copyOfRange(buf, start, pos);
            return;
        }
        ensure(encoded.length);
        System.arraycopy(encoded, 0, buf, pos, encoded.length);
        pos += encoded.length;
    }

    /** Length and UTF-8 of {@code s}. */
    private void writeEncoded(String s) {
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
