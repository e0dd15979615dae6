package qp.job.io;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.types.StringValue;

/**
 * Reads a string that {@link StringValue#writeString} wrote, handing out the same {@code String} again for a short value
 * read before. Node ids, message types, ops, outcomes and arms are a handful of values on every record of the keyed
 * edges; a new string per record costs its allocation, and then its hash (uncached on a new string) and a
 * character-by-character {@code equals} in every key lookup downstream (key groups, state tables, timers). The same
 * instance has its hash cached and compares by identity first.
 *
 * <p>The layout is {@code StringValue}'s (length + 1 as a varint, 0 for null; then each char as a varint), so nothing
 * written changes. A direct-mapped table shared by all threads: a slot keeps the last string whose characters hashed to
 * it, reused only when every character matches. Strings are immutable (final fields), so a racing reader sees a
 * complete string or builds its own.
 */
public final class RepeatedStringValues {
    /** Longer values (connection and session ids) rarely repeat; they are read as {@code StringValue} reads them. */
    static final int MAX_LENGTH = 32;
    private static final int SLOTS = 4096;
    private static final int HIGH_BIT = 0x80;
    private static final String[] TABLE = new String[SLOTS];

    private RepeatedStringValues() {
    }

    public static String read(DataInputView in) throws IOException {
        int len = readVarint(in, in.readUnsignedByte());
        if (len == 0) {
            return null;
        }
        len -= 1; // the length is written plus one: 0 stands for null
        if (len > MAX_LENGTH) {
            return readChars(in, len, false);
        }
        return readChars(in, len, true);
    }

    private static String readChars(DataInputView in, int len, boolean repeated) throws IOException {
        char[] data = new char[len];
        int hash = 0;
        for (int i = 0; i < len; i++) {
            char c = (char) readVarint(in, in.readUnsignedByte());
            data[i] = c;
            hash = 31 * hash + c;
        }
        if (!repeated) {
            return new String(data);
        }
        int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
        String s = TABLE[slot];
        if (s != null && equal(s, data)) {
            return s;
        }
        s = new String(data);
        TABLE[slot] = s;
        return s;
    }

    /** A varint whose first byte is {@code first}: 7 bits a byte, low bits first, high bit set on all but the last. */
    private static int readVarint(DataInputView in, int first) throws IOException {
        if (first < HIGH_BIT) {
            return first;
        }
        int value = first & 0x7f;
        int shift = 7;
        int curr;
        while ((curr = in.readUnsignedByte()) >= HIGH_BIT) {
            value |= (curr & 0x7f) << shift;
            shift += 7;
        }
        return value | curr << shift;
    }

    private static boolean equal(String s, char[] data) {
        if (s.length() != data.length) {
            return false;
        }
        for (int i = 0; i < data.length; i++) {
            if (s.charAt(i) != data[i]) {
                return false;
            }
        }
        return true;
    }
}
