package qp.protocol.events;

/**
 * Hands out the same {@code String} again for a short ASCII value read before: node ids, message types, ops,
 * outcomes and arms are a handful of values repeated on every event, so decoding them need not allocate. A
 * direct-mapped table: a slot keeps the last string whose bytes hashed to it, and a string is reused only when its
 * every character equals the bytes; anything else builds a new string, which takes the slot. Strings are immutable
 * (final fields), so threads share the table without locks: a racing reader sees a complete string or an older one.
 */
final class RepeatedStrings {
    /** Longer values (session ids, URLs) are rarely repeated; comparing them would cost more than it saves. */
    static final int MAX_LENGTH = 32;
    private static final int SLOTS = 1024;

    private final String[] slots = new String[SLOTS];

    /** The string of the {@code n} ASCII bytes at {@code from} ({@code n <= MAX_LENGTH}), whose hash is {@code hash}. */
    String get(byte[] buf, int from, int n, int hash) {
        int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
        String s = slots[slot];
        if (s != null && equal(s, buf, from, n)) {
            return s;
        }
        s = new String(buf, from, n, java.nio.charset.StandardCharsets.ISO_8859_1);
        slots[slot] = s;
        return s;
    }

    private static boolean equal(String s, byte[] buf, int from, int n) {
        if (s.length() != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) != buf[from + i]) {
                return false;
            }
        }
        return true;
    }
}
