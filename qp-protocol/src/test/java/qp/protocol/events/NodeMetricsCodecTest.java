package qp.protocol.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;
import qp.protocol.json.QpJson;
import qp.protocol.params.TunableParams;

class NodeMetricsCodecTest {
    private static final Schema SCHEMA = schema();

    @Test
    void readsBackManyRandomSamplesFieldByField() {
        Random rnd = new Random(30);
        for (int i = 0; i < 3_000; i++) {
            NodeMetrics m = randomSample(rnd);
            assertThat(NodeMetricsCodec.decode(NodeMetricsCodec.encode(m))).usingRecursiveComparison().isEqualTo(m);
        }
    }

    @Test
    void avrosOwnReaderWithTheDeclaredSchemaReadsWhatTheCodecWrites() throws IOException {
        Random rnd = new Random(31);
        for (int i = 0; i < 1_000; i++) {
            NodeMetrics m = randomSample(rnd);
            GenericRecord r = new GenericDatumReader<GenericRecord>(SCHEMA)
                    .read(null, DecoderFactory.get().binaryDecoder(NodeMetricsCodec.encode(m), null));
            assertThat(r.get("encodingMajor")).isEqualTo(EventEncoding.MAJOR);
            assertThat(r.get("encodingMinor")).isEqualTo(EventEncoding.MINOR);
            assertThat(r.get("nodeId").toString()).isEqualTo(m.nodeId());
            assertThat(r.get("timestampMillis")).isEqualTo(m.timestampMillis());
            assertThat(r.get("framesInPerSec")).isEqualTo(m.framesInPerSec());
            assertThat(r.get("framesOutPerSec")).isEqualTo(m.framesOutPerSec());
            assertThat(r.get("bytesInPerSec")).isEqualTo(m.bytesInPerSec());
            assertThat(r.get("bytesOutPerSec")).isEqualTo(m.bytesOutPerSec());
            assertThat(r.get("processCpuLoad")).isEqualTo(m.processCpuLoad());
            assertThat(r.get("heapUsedBytes")).isEqualTo(m.heapUsedBytes());
            assertThat(r.get("heapMaxBytes")).isEqualTo(m.heapMaxBytes());
            assertThat(r.get("connections")).isEqualTo(m.connections());
            assertThat(r.get("heartbeatTimeouts")).isEqualTo(m.heartbeatTimeouts());
            assertThat(r.get("heartbeatTimeoutsTotal")).isEqualTo(m.heartbeatTimeoutsTotal());
            assertThat(r.get("paramVersion")).isEqualTo(m.paramVersion());
            GenericRecord p = (GenericRecord) r.get("params");
            assertThat(p.get("bufferSizeBytes")).isEqualTo(m.params().bufferSizeBytes());
            assertThat(p.get("heartbeatIntervalMs")).isEqualTo(m.params().heartbeatIntervalMs());
            assertThat(p.get("compressionThresholdBytes")).isEqualTo(m.params().compressionThresholdBytes());
            assertThat(p.get("maxConnections")).isEqualTo(m.params().maxConnections());
            assertThat(p.get("maxFrameBytes")).isEqualTo(m.params().maxFrameBytes());
            assertThat(str(r, "instanceId")).isEqualTo(m.instanceId());
            assertThat(str(r, "advertisedAdminUrl")).isEqualTo(m.advertisedAdminUrl());
            assertThat(str(r, "experimentId")).isEqualTo(m.experimentId());
            assertThat(str(r, "arm")).isEqualTo(m.arm());
            assertThat(str(r, "experimentParameter")).isEqualTo(m.experimentParameter());
            assertThat(r.get("controlValue")).isEqualTo(m.controlValue());
            assertThat(r.get("treatmentValue")).isEqualTo(m.treatmentValue());
        }
    }

    @Test
    void tellsOldJsonFromBinaryAndReadsBoth() {
        NodeMetrics m = randomSample(new Random(32));
        byte[] json = QpJson.bytes(m);
        assertThat(EventEncoding.formatOf(json)).isEqualTo(EventEncoding.Format.JSON);
        assertThat(NodeMetricsCodec.decode(json)).isEqualTo(m);
        assertThat(NodeMetricsCodec.decode(NodeMetricsCodec.encode(m))).isEqualTo(m);
    }

    @Test
    void readsAValueOfANewerMinorIgnoringTheAppendedFields() {
        NodeMetrics m = randomSample(new Random(33));
        AvroBinaryWriter next = new AvroBinaryWriter();
        next.writeInt(EventEncoding.MAJOR);
        next.writeInt(EventEncoding.MINOR + 1);
        NodeMetricsCodec.writeFields(next, m);
        next.writeDouble(0.25); // 1.2, test only: a field this reader does not know
        assertThat(NodeMetricsCodec.decode(next.toByteArray())).isEqualTo(m);
    }

    /** A 1.0 sample, written field by field with Avro's own encoder: the 1.1 fields take their defaults (null). */
    @Test
    void readsAValueOfAnOlderMinorWithTheDocumentedDefaults() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder out = EncoderFactory.get().binaryEncoder(bytes, null);
        out.writeInt(1);
        out.writeInt(0);
        out.writeString("edge-1");
        out.writeLong(1_795_704_016_000L);
        for (double d : new double[] {1200.5, 1199.5, 90_000, 88_000.25, 0.31}) {
            out.writeDouble(d);
        }
        out.writeLong(50_000_000);
        out.writeLong(512_000_000);
        out.writeInt(40);
        out.writeLong(1);
        out.writeLong(7);
        out.writeLong(3);
        for (long p : new long[] {8192, 30_000, 0, 100, 1_048_576}) {
            out.writeLong(p);
        }
        out.writeIndex(1);
        out.writeString("i-1");
        out.writeIndex(0);
        out.flush();
        assertThat(NodeMetricsCodec.decode(bytes.toByteArray())).isEqualTo(new NodeMetrics("edge-1",
                1_795_704_016_000L, 1200.5, 1199.5, 90_000, 88_000.25, 0.31, 50_000_000, 512_000_000, 40, 1, 7, 3,
                new TunableParams(8192, 30_000, 0, 100, 1_048_576), "i-1", null, null, null, null, null, null));
    }

    @Test
    void everyTruncationAndAnUnknownMajorAreErrors() {
        byte[] whole = NodeMetricsCodec.encode(randomSample(new Random(34)));
        for (int n = 0; n < whole.length; n++) {
            byte[] cut = Arrays.copyOf(whole, n);
            assertThatThrownBy(() -> NodeMetricsCodec.decode(cut)).isInstanceOf(EventDecodeException.class);
        }
        byte[] major3 = whole.clone();
        major3[0] = 0x06;
        assertThatThrownBy(() -> NodeMetricsCodec.decode(major3)).isInstanceOf(EventDecodeException.class)
                .hasMessageContaining("NodeMetrics in binary encoding major version 3");
    }

    private static NodeMetrics randomSample(Random rnd) {
        boolean exp = rnd.nextBoolean();
        return new NodeMetrics("edge-" + rnd.nextInt(9), rnd.nextLong(), rnd.nextDouble() * 1e5, rnd.nextDouble(),
                rnd.nextGaussian(), Double.MAX_VALUE, rnd.nextBoolean() ? -1 : rnd.nextDouble(), rnd.nextLong(),
                rnd.nextLong(), rnd.nextInt(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong(),
                new TunableParams(rnd.nextLong(), rnd.nextInt(), 0, rnd.nextInt(100_000), Long.MIN_VALUE),
                rnd.nextBoolean() ? null : "inst-é-" + rnd.nextInt(), rnd.nextBoolean() ? null : "http://h:8081",
                exp ? "exp-" + rnd.nextInt(9) : null, exp && rnd.nextBoolean() ? "control" : null,
                exp ? "max_connections" : null, exp ? (Long) rnd.nextLong() : null, exp ? (Long) 200L : null);
    }

    private static String str(GenericRecord r, String field) {
        Object v = r.get(field);
        return v == null ? null : v.toString();
    }

    private static Schema schema() {
        try (InputStream in = NodeMetricsCodec.class.getResourceAsStream("NodeMetrics.avsc")) {
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
