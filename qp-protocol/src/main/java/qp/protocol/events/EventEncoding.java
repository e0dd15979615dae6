package qp.protocol.events;

import java.io.IOException;
import qp.protocol.json.QpJson;

/**
 * The encodings a {@code qp.frames} or {@code qp.node-metrics} value can be in, told apart by its first byte, and the
 * version of the binary one. See {@code docs/EVENT-ENCODING.md} for the layout and the evolution rules.
 *
 * <p>A binary value is Avro binary encoding of the record's schema ({@code FrameEvent.avsc}, {@code NodeMetrics.avsc}
 * beside this class), whose first two fields are the encoding's major and minor version as Avro {@code int}s. Avro
 * writes a small int as its zig-zag varint, so major 1 is the byte {@code 0x02}: a binary value never starts with
 * {@code '{'} (0x7B, odd, which as a zig-zag varint would be a negative major), and a JSON value written before
 * the binary encoding (by {@link FrameEventJson} or databind) always does.
 *
 * <p>Rules (held by the codecs' tests):
 * <ul>
 *   <li>A new minor version only <em>appends</em> fields at the end of the top-level record; nested records
 *       ({@code params}) never change. A reader of an older minor reads the fields it knows and ignores the rest.</li>
 *   <li>A reader of a newer minor reads an older value and gives the fields appended since the writer's minor their
 *       documented defaults (null for the nullable ones).</li>
 *   <li>Anything else (a field removed, retyped, reordered or made not-null) is a new major version; a reader refuses
 *       a major it does not know with {@link EventDecodeException}.</li>
 * </ul>
 * These hold for the codecs of this package. A reader that knows only a fixed Avro schema does not follow them: Flink
 * SQL's built-in {@code avro} format misreads the records after one that has fields its table lacks, so its tables
 * must list the writers' minor exactly (docs/EVENT-ENCODING.md).
 */
public final class EventEncoding {
    /** The major version this build reads and writes. */
    public static final int MAJOR = 1;
    /**
     * The minor version this build writes. 1.0 is the layout without the experiment fields, 1.1 appends them (see the
     * codecs); no released writer wrote 1.0, it is kept as the first minor so that reading an older value is real code.
     */
    public static final int MINOR = 1;

    private EventEncoding() {
    }

    /** How a value is encoded, from its first byte. */
    public enum Format {
        /** A JSON object, as every event was written before the binary encoding. */
        JSON,
        /** Avro binary encoding led by the major and minor version. */
        BINARY
    }

    /**
     * JSON when the value starts with {@code '{'} (after JSON whitespace), else binary; the binary reader then checks
     * the version. Throws {@link EventDecodeException} for a null or empty value.
     */
    public static Format formatOf(byte[] value) {
        if (value == null || value.length == 0) {
            throw new EventDecodeException("empty value: neither a JSON nor a binary event");
        }
        for (byte b : value) {
            if (b == '{') {
                return Format.JSON;
            }
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return Format.BINARY;
            }
        }
        return Format.BINARY;
    }

    /**
     * Reads the leading major and minor version of a binary value and returns the minor; a major other than
     * {@link #MAJOR} is refused, since its layout is unknown to this reader.
     */
    static int readMinor(AvroBinaryReader in, String record) {
        int major = in.readInt("encodingMajor");
        if (major != MAJOR) {
            throw new EventDecodeException(record + " in binary encoding major version " + major + ", which this reader"
                    + " does not know (it reads major " + MAJOR + " and JSON): upgrade the reader, or the value is not an event");
        }
        int minor = in.readInt("encodingMinor");
        if (minor < 0) {
            throw new EventDecodeException(record + " with a negative encoding minor version " + minor);
        }
        return minor;
    }

    /**
     * After the last field this reader knows: a value of this reader's minor or older must end there, one of a newer
     * minor goes on with fields appended since, which are skipped.
     */
    static void checkEnd(AvroBinaryReader in, int writerMinor, String record) {
        if (writerMinor <= MINOR && in.remaining() > 0) {
            throw new EventDecodeException(record + " " + MAJOR + "." + writerMinor + ": " + in.remaining()
                    + " bytes after the last field (byte " + in.position() + "): not a value this layout wrote");
        }
    }

    /** The first line of a JSON parser's message, for a dead letter's reason. */
    /**
     * The writer, reset and led by this build's version: the start of every binary value. The caller writes the
     * record's fields and takes {@link AvroBinaryWriter#toByteArray()}.
     */
    static AvroBinaryWriter startBinary(ThreadLocal<AvroBinaryWriter> writers) {
        return startBinary(writers.get());
    }

    /** {@code out}, reset and led by this build's version. */
    static AvroBinaryWriter startBinary(AvroBinaryWriter out) {
        out.reset();
        out.writeInt(MAJOR);
        out.writeInt(MINOR);
        return out;
    }

    /** A value written as JSON before the binary encoding, read as {@code type}; never null. */
    static <T> T decodeJson(byte[] value, Class<T> type, String record) {
        T t;
        try {
            t = QpJson.read(value, type);
        } catch (IOException | RuntimeException ex) {
            throw new EventDecodeException("not a " + record + " in JSON: " + firstLine(ex), ex);
        }
        if (t == null) {
            throw new EventDecodeException("JSON null where a " + record + " was expected");
        }
        return t;
    }

    static String firstLine(Exception e) {
        String m = e.getMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        String line = m.lines().findFirst().orElse(m);
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
