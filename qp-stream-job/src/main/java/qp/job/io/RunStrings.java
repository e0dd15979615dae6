package qp.job.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * The distinct strings of one run of items (message types, experiment ids, arms: a handful per run), written once
 * ahead of the items; each item then writes two bytes per string, the position in that table plus one (0: null). A
 * run of a thousand frames writes "COMMAND" once instead of a thousand times. At most {@link #MAX} distinct strings,
 * more than any run holds (a run is at most a few thousand items of three strings each).
 */
public final class RunStrings {
    /** Distinct strings one run may hold: a code fits in two bytes. */
    public static final int MAX = 0xffff;
    private final List<String> table = new ArrayList<>(8);

    /** The code that stands for {@code s} in this run (0 for null); adds it to the table if it is new. */
    public short code(String s) throws IOException {
        if (s == null) {
            return 0;
        }
        for (int i = 0; i < table.size(); i++) {
            String t = table.get(i);
            if (t == s || t.equals(s)) {
                return (short) (i + 1);
            }
        }
        if (table.size() == MAX) {
            throw new IOException("a run holds more than " + MAX + " distinct strings");
        }
        table.add(s);
        return (short) table.size();
    }

    public void writeTable(DataOutputView out) throws IOException {
        out.writeShort(table.size());
        for (String s : table) {
            StringValue.writeString(s, out);
        }
    }

    /** The table as {@link #writeTable} wrote it, with null at position 0; one String per value (repeated reads). */
    public static String[] readTable(DataInputView in) throws IOException {
        int n = in.readUnsignedShort();
        String[] table = new String[n + 1];
        for (int i = 1; i <= n; i++) {
            table[i] = RepeatedStringValues.read(in);
        }
        return table;
    }

    /** The string of a code read from the input. */
    public static String lookUp(String[] table, int code) throws IOException {
        int i = code & 0xffff;
        if (i >= table.length) {
            throw new IOException("string " + i + " of a run's table of " + (table.length - 1));
        }
        return table[i];
    }
}
