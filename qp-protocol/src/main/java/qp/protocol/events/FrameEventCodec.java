package qp.protocol.events;


/**
 * Writes a {@link FrameEvent} in the binary event encoding and reads it back from binary or from the JSON that
 * gateways wrote before (told apart by {@link EventEncoding#formatOf}).
 *
 * <p>The binary value is Avro binary encoding of {@code FrameEvent.avsc} (beside this class): its fields in this
 * order, nullable ones as the union {@code ["null", T]}.
 * <pre>
 *  since  field             Avro type          default when the writer's minor is older
 *  1.0    encodingMajor     int (1)
 *  1.0    encodingMinor     int
 *  1.0    nodeId            string
 *  1.0    connectionId      string
 *  1.0    seq               long
 *  1.0    sessionId         [null, string]
 *  1.0    type              string
 *  1.0    op                [null, string]
 *  1.0    direction         string (IN, OUT)
 *  1.0    wireBytes         int
 *  1.0    rawBytes          int
 *  1.0    compressed        boolean
 *  1.0    latencyMicros     long
 *  1.0    outcome           string
 *  1.0    paramVersion      long
 *  1.0    eventTimeMillis   long
 *  1.1    experimentId      [null, string]     null
 *  1.1    arm               [null, string]     null
 *  1.1    bucket            [null, int]        null
 * </pre>
 * Evolution (see {@link EventEncoding}): fields are only appended, each with a default in this table; a reader of an
 * older minor ignores what follows the fields it knows, a reader of a newer minor gives the missing ones their
 * default, and a value of another major version or of a broken layout is refused with {@link EventDecodeException}.
 * A not-null field that is null in the event (a {@code FrameEvent} the gateway would never write) is refused on
 * writing with {@link IllegalArgumentException}.
 */
public final class FrameEventCodec {
    static final String RECORD = "FrameEvent";
    private static final ThreadLocal<Encoder> ENCODERS = ThreadLocal.withInitial(Encoder::new);

    private FrameEventCodec() {
    }

    /** The event in binary encoding {@link EventEncoding#MAJOR}.{@link EventEncoding#MINOR}. */
    public static byte[] encode(FrameEvent e) {
        return ENCODERS.get().encode(e);
    }

    /**
     * {@link #encode} for one thread that writes many events, the gateway emitter's sender: its buffer is its own, not
     * looked up in a {@code ThreadLocal} per event (that look-up was a fifth of the encoder's samples under the gateway
     * benchmark). Not thread-safe.
     */
    public static final class Encoder {
        private final AvroBinaryWriter out = new AvroBinaryWriter();

        /** The event in binary encoding, as {@link FrameEventCodec#encode} writes it (which uses one per thread). */
        public byte[] encode(FrameEvent e) {
            EventEncoding.startBinary(out);
            writeFields(out, e);
            return out.toByteArray();
        }
    }

    /** Reads a value in the binary encoding or in JSON; throws {@link EventDecodeException} with the reason. */
    public static FrameEvent decode(byte[] value) {
        return EventEncoding.formatOf(value) == EventEncoding.Format.JSON
                ? EventEncoding.decodeJson(value, FrameEvent.class, RECORD) : decodeBinary(value);
    }

    static void writeFields(AvroBinaryWriter out, FrameEvent e) {
        out.writeString(e.nodeId(), "nodeId");
        out.writeString(e.connectionId(), "connectionId");
        out.writeLong(e.seq());
        out.writeNullableString(e.sessionId());
        out.writeString(e.type(), "type");
        out.writeNullableString(e.op());
        if (e.direction() == null) {
            throw new IllegalArgumentException("direction is null, but it is a not-null field of the binary event encoding");
        }
        out.writeString(e.direction().name(), "direction");
        out.writeInt(e.wireBytes());
        out.writeInt(e.rawBytes());
        out.writeBoolean(e.compressed());
        out.writeLong(e.latencyMicros());
        out.writeString(e.outcome(), "outcome");
        out.writeLong(e.paramVersion());
        out.writeLong(e.eventTimeMillis());
        // 1.1
        out.writeNullableString(e.experimentId());
        out.writeNullableString(e.arm());
        out.writeNullableInt(e.bucket());
    }

    private static FrameEvent decodeBinary(byte[] value) {
        AvroBinaryReader in = new AvroBinaryReader(value, RECORD);
        int minor = EventEncoding.readMinor(in, RECORD);
        String nodeId = in.readRepeatedString("nodeId");
        String connectionId = in.readString("connectionId");
        long seq = in.readLong("seq");
        String sessionId = in.readNullableString("sessionId");
        String type = in.readRepeatedString("type");
        String op = in.readNullableRepeatedString("op");
        Direction direction = direction(in);
        int wireBytes = in.readInt("wireBytes");
        int rawBytes = in.readInt("rawBytes");
        boolean compressed = in.readBoolean("compressed");
        long latencyMicros = in.readLong("latencyMicros");
        String outcome = in.readRepeatedString("outcome");
        long paramVersion = in.readLong("paramVersion");
        long eventTimeMillis = in.readLong("eventTimeMillis");
        String experimentId = null;
        String arm = null;
        Integer bucket = null;
        if (minor >= 1) {
            experimentId = in.readNullableRepeatedString("experimentId");
            arm = in.readNullableRepeatedString("arm");
            bucket = in.readNullableInt("bucket");
        }
        EventEncoding.checkEnd(in, minor, RECORD);
        return new FrameEvent(nodeId, connectionId, seq, sessionId, type, op, direction, wireBytes, rawBytes,
                compressed, latencyMicros, outcome, paramVersion, eventTimeMillis, experimentId, arm, bucket);
    }

    private static Direction direction(AvroBinaryReader in) {
        int at = in.position();
        String name = in.readRepeatedString("direction");
        return switch (name) {
            case "IN" -> Direction.IN;
            case "OUT" -> Direction.OUT;
            default -> throw in.bad("direction", at, "direction '" + name + "' (only IN and OUT exist)");
        };
    }
}
