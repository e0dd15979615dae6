package qp.protocol.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

class FrameEventCodecTest {
    private static final Schema SCHEMA = schema();

    @Test
    void readsBackManyRandomEventsFieldByField() {
        Random rnd = new Random(20);
        for (int i = 0; i < 5_000; i++) {
            FrameEvent e = randomEvent(rnd);
            assertThat(FrameEventCodec.decode(FrameEventCodec.encode(e))).usingRecursiveComparison().isEqualTo(e);
        }
    }

    @Test
    void anEncoderReusedEventAfterEventWritesWhatAFreshOneWrites() {
        Random rnd = new Random(21);
        FrameEventCodec.Encoder encoder = new FrameEventCodec.Encoder();
        for (int i = 0; i < 5_000; i++) { // events of every length, so the reused buffer grows and is reset
            FrameEvent e = randomEvent(rnd);
            assertThat(encoder.encode(e)).isEqualTo(new FrameEventCodec.Encoder().encode(e));
        }
    }

    @Test
    void avrosOwnReaderWithTheDeclaredSchemaReadsWhatTheCodecWrites() throws IOException {
        Random rnd = new Random(21);
        for (int i = 0; i < 2_000; i++) {
            FrameEvent e = randomEvent(rnd);
            GenericRecord r = new GenericDatumReader<GenericRecord>(SCHEMA)
                    .read(null, DecoderFactory.get().binaryDecoder(FrameEventCodec.encode(e), null));
            assertThat(r.get("encodingMajor")).isEqualTo(EventEncoding.MAJOR);
            assertThat(r.get("encodingMinor")).isEqualTo(EventEncoding.MINOR);
            assertThat(str(r, "nodeId")).isEqualTo(e.nodeId());
            assertThat(str(r, "connectionId")).isEqualTo(e.connectionId());
            assertThat(r.get("seq")).isEqualTo(e.seq());
            assertThat(str(r, "sessionId")).isEqualTo(e.sessionId());
            assertThat(str(r, "type")).isEqualTo(e.type());
            assertThat(str(r, "op")).isEqualTo(e.op());
            assertThat(str(r, "direction")).isEqualTo(e.direction().name());
            assertThat(r.get("wireBytes")).isEqualTo(e.wireBytes());
            assertThat(r.get("rawBytes")).isEqualTo(e.rawBytes());
            assertThat(r.get("compressed")).isEqualTo(e.compressed());
            assertThat(r.get("latencyMicros")).isEqualTo(e.latencyMicros());
            assertThat(str(r, "outcome")).isEqualTo(e.outcome());
            assertThat(r.get("paramVersion")).isEqualTo(e.paramVersion());
            assertThat(r.get("eventTimeMillis")).isEqualTo(e.eventTimeMillis());
            assertThat(str(r, "experimentId")).isEqualTo(e.experimentId());
            assertThat(str(r, "arm")).isEqualTo(e.arm());
            assertThat(r.get("bucket")).isEqualTo(e.bucket());
        }
    }

    @Test
    void readsWhatAvrosOwnWriterWritesWithTheDeclaredSchema() throws IOException {
        Random rnd = new Random(22);
        for (int i = 0; i < 500; i++) {
            FrameEvent e = randomEvent(rnd);
            GenericRecord r = new GenericData.Record(SCHEMA);
            r.put("encodingMajor", EventEncoding.MAJOR);
            r.put("encodingMinor", EventEncoding.MINOR);
            r.put("nodeId", e.nodeId());
            r.put("connectionId", e.connectionId());
            r.put("seq", e.seq());
            r.put("sessionId", e.sessionId());
            r.put("type", e.type());
            r.put("op", e.op());
            r.put("direction", e.direction().name());
            r.put("wireBytes", e.wireBytes());
            r.put("rawBytes", e.rawBytes());
            r.put("compressed", e.compressed());
            r.put("latencyMicros", e.latencyMicros());
            r.put("outcome", e.outcome());
            r.put("paramVersion", e.paramVersion());
            r.put("eventTimeMillis", e.eventTimeMillis());
            r.put("experimentId", e.experimentId());
            r.put("arm", e.arm());
            r.put("bucket", e.bucket());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder out = EncoderFactory.get().binaryEncoder(bytes, null);
            new GenericDatumWriter<GenericRecord>(SCHEMA).write(r, out);
            out.flush();
            assertThat(FrameEventCodec.decode(bytes.toByteArray())).isEqualTo(e);
        }
    }

    @Test
    void writesTheBytesWorkedOutByHand() {
        FrameEvent e = new FrameEvent("n1", "c", 1, null, "ACK", null, Direction.OUT, 10, -1, true, 0, "ok", 64,
                1, null, "control", 3);
        byte[] expected = {
            0x02, 0x02,                     // major 1, minor 1 (zig-zag)
            0x04, 'n', '1', 0x02, 'c',      // nodeId, connectionId
            0x02,                           // seq 1
            0x00,                           // sessionId null
            0x06, 'A', 'C', 'K', 0x00,      // type, op null
            0x06, 'O', 'U', 'T',            // direction
            0x14, 0x01, 0x01, 0x00,         // wireBytes 10, rawBytes -1, compressed, latencyMicros 0
            0x04, 'o', 'k',                 // outcome
            (byte) 0x80, 0x01, 0x02,        // paramVersion 64 (two bytes), eventTimeMillis 1
            0x00, 0x02, 0x0E, 'c', 'o', 'n', 't', 'r', 'o', 'l', 0x02, 0x06 // experimentId null, arm, bucket 3
        };
        assertThat(FrameEventCodec.encode(e)).containsExactly(expected);
    }

    @Test
    void tellsOldJsonFromBinaryAndReadsBoth() {
        FrameEvent e = randomEvent(new Random(23));
        byte[] json = FrameEventJson.write(e);
        byte[] binary = FrameEventCodec.encode(e);
        assertThat(EventEncoding.formatOf(json)).isEqualTo(EventEncoding.Format.JSON);
        assertThat(EventEncoding.formatOf(binary)).isEqualTo(EventEncoding.Format.BINARY);
        assertThat(binary[0]).isEqualTo((byte) 0x02);
        assertThat(FrameEventCodec.decode(json)).isEqualTo(e);
        assertThat(FrameEventCodec.decode(("\n  " + new String(json, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8))).isEqualTo(e);
        assertThat(FrameEventCodec.decode(binary)).isEqualTo(e);
    }

    /** A writer of a later minor (1.2, test only) appends two fields; this reader keeps what it knows. */
    @Test
    void readsAValueOfANewerMinorIgnoringTheAppendedFields() {
        Random rnd = new Random(24);
        for (int i = 0; i < 200; i++) {
            FrameEvent e = randomEvent(rnd);
            AvroBinaryWriter next = new AvroBinaryWriter();
            next.writeInt(EventEncoding.MAJOR);
            next.writeInt(EventEncoding.MINOR + 1);
            FrameEventCodec.writeFields(next, e);
            next.writeNullableString("eu-west-" + i); // 1.2: a field this reader does not know
            next.writeLong(rnd.nextLong());
            assertThat(FrameEventCodec.decode(next.toByteArray())).isEqualTo(e);
        }
    }

    /** A 1.0 value, written field by field with Avro's own encoder: the 1.1 fields take their defaults (null). */
    @Test
    void readsAValueOfAnOlderMinorWithTheDocumentedDefaults() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder out = EncoderFactory.get().binaryEncoder(bytes, null);
        out.writeInt(1);
        out.writeInt(0);
        out.writeString("edge-2");
        out.writeString("c7");
        out.writeLong(99);
        out.writeIndex(1);
        out.writeString("s-1");
        out.writeString("COMMAND");
        out.writeIndex(1);
        out.writeString("echo");
        out.writeString("IN");
        out.writeInt(71);
        out.writeInt(64);
        out.writeBoolean(false);
        out.writeLong(184);
        out.writeString("ok");
        out.writeLong(3);
        out.writeLong(1_795_704_016_817L);
        out.flush();
        assertThat(FrameEventCodec.decode(bytes.toByteArray())).isEqualTo(new FrameEvent("edge-2", "c7", 99, "s-1",
                "COMMAND", "echo", Direction.IN, 71, 64, false, 184, "ok", 3, 1_795_704_016_817L, null, null, null));
    }

    @Test
    void everyTruncationIsAnErrorNamingTheField() {
        byte[] whole = FrameEventCodec.encode(randomEvent(new Random(25)));
        for (int n = 1; n < whole.length; n++) {
            byte[] cut = Arrays.copyOf(whole, n);
            assertThatThrownBy(() -> FrameEventCodec.decode(cut))
                    .isInstanceOf(EventDecodeException.class)
                    .hasMessageContaining("FrameEvent")
                    .hasMessageContaining("field '");
        }
        assertThatThrownBy(() -> FrameEventCodec.decode(new byte[0])).isInstanceOf(EventDecodeException.class)
                .hasMessageContaining("empty value");
        assertThatThrownBy(() -> FrameEventCodec.decode(null)).isInstanceOf(EventDecodeException.class);
    }

    @Test
    void refusesAnUnknownMajorVersion() {
        byte[] v = FrameEventCodec.encode(randomEvent(new Random(26)));
        v[0] = 0x04; // major 2
        assertThatThrownBy(() -> FrameEventCodec.decode(v)).isInstanceOf(EventDecodeException.class)
                .hasMessageContaining("major version 2").hasMessageContaining("reads major 1");
    }

    @Test
    void refusesBrokenLayoutsWithTheReason() {
        FrameEvent e = new FrameEvent("n1", "c", 1, null, "ACK", null, Direction.OUT, 10, -1, true, 0, "ok", 64, 1);
        byte[] good = FrameEventCodec.encode(e);
        assertThatThrownBy(() -> FrameEventCodec.decode(with(good, 8, (byte) 0x0A)))
                .isInstanceOf(EventDecodeException.class).hasMessageContaining("union branch 5")
                .hasMessageContaining("'sessionId'");
        assertThatThrownBy(() -> FrameEventCodec.decode(with(good, 15, (byte) 'X')))
                .isInstanceOf(EventDecodeException.class).hasMessageContaining("direction 'XUT'");
        assertThatThrownBy(() -> FrameEventCodec.decode(with(good, 2, (byte) 0x03)))
                .isInstanceOf(EventDecodeException.class).hasMessageContaining("negative string length");
        assertThatThrownBy(() -> FrameEventCodec.decode(with(good, 3, (byte) 0xC3)))
                .isInstanceOf(EventDecodeException.class).hasMessageContaining("not valid UTF-8");
        assertThatThrownBy(() -> FrameEventCodec.decode(with(good, 20, (byte) 7)))
                .isInstanceOf(EventDecodeException.class).hasMessageContaining("boolean byte 7");
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> FrameEventCodec.decode(longer))
                .isInstanceOf(EventDecodeException.class).hasMessageContaining("1 bytes after the last field");
        assertThatThrownBy(() -> FrameEventCodec.decode("{\"nodeId\": ".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EventDecodeException.class).hasMessageContaining("not a FrameEvent in JSON");
    }

    @Test
    void garbageIsAlwaysADecodeErrorNeverAnotherException() {
        Random rnd = new Random(27);
        for (int i = 0; i < 20_000; i++) {
            byte[] v = new byte[1 + rnd.nextInt(80)];
            rnd.nextBytes(v);
            if (i % 2 == 0 && v.length > 2) { // half of them pass the version check and fail further in
                v[0] = 0x02;
                v[1] = 0x02;
            }
            if (v[0] == '{') {
                v[0] = 0;
            }
            assertThatThrownBy(() -> FrameEventCodec.decode(v)).isInstanceOf(EventDecodeException.class);
        }
    }

    @Test
    void refusesToWriteANullInANotNullField() {
        FrameEvent e = new FrameEvent(null, "c", 1, null, "ACK", null, Direction.OUT, 10, 1, true, 0, "ok", 64, 1);
        assertThatThrownBy(() -> FrameEventCodec.encode(e)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nodeId is null");
    }

    static FrameEvent randomEvent(Random rnd) {
        String[] types = {"COMMAND", "ACK", "INVALID", "STREAM", "HEARTBEAT"};
        boolean exp = rnd.nextBoolean();
        return new FrameEvent("edge-" + rnd.nextInt(5), "c" + rnd.nextInt(100_000), rnd.nextLong(),
                rnd.nextBoolean() ? null : "s\"é\u0001😀" + rnd.nextInt(), types[rnd.nextInt(types.length)],
                rnd.nextBoolean() ? null : "echo", rnd.nextBoolean() ? Direction.IN : Direction.OUT,
                rnd.nextInt(), rnd.nextInt(1 << 20), rnd.nextBoolean(), rnd.nextLong(),
                rnd.nextBoolean() ? FrameEvent.OK : "BAD_FRAME", rnd.nextLong(), 1_700_000_000_000L + rnd.nextInt(),
                exp ? "exp-" + rnd.nextInt(9) : null, exp && rnd.nextBoolean() ? "treatment" : null,
                exp && rnd.nextBoolean() ? rnd.nextInt(8) : null);
    }

    private static byte[] with(byte[] v, int at, byte b) {
        byte[] copy = v.clone();
        copy[at] = b;
        return copy;
    }

    private static String str(GenericRecord r, String field) {
        Object v = r.get(field);
        return v == null ? null : v.toString();
    }

    private static Schema schema() {
        try (InputStream in = FrameEventCodec.class.getResourceAsStream("FrameEvent.avsc")) {
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
