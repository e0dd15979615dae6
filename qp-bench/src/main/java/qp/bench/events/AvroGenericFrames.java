package qp.bench.events;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import qp.protocol.events.Direction;
import qp.protocol.events.EventEncoding;
import qp.protocol.events.FrameEvent;

/**
 * Avro with its generic API and qp-protocol's {@code FrameEvent.avsc}: the event copied into a {@link GenericRecord}
 * and written by {@link GenericDatumWriter}; read by {@link GenericDatumReader} into a reused record and copied into
 * a {@code FrameEvent} (strings come as Avro's {@code Utf8}). Encoder, decoder, stream and record are reused, as a
 * careful caller would.
 */
final class AvroGenericFrames implements FrameEventCoder {
    static final Schema SCHEMA = schema();

    private final GenericDatumWriter<GenericRecord> writer = new GenericDatumWriter<>(SCHEMA);
    private final GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(SCHEMA);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    private BinaryEncoder encoder;
    private BinaryDecoder decoder;
    private GenericRecord readInto;

    static Schema schema() {
        try (InputStream in = FrameEvent.class.getResourceAsStream("FrameEvent.avsc")) {
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public byte[] encode(FrameEvent e) {
        GenericRecord r = new GenericData.Record(SCHEMA);
        r.put(0, EventEncoding.MAJOR);
        r.put(1, EventEncoding.MINOR);
        r.put(2, e.nodeId());
        r.put(3, e.connectionId());
        r.put(4, e.seq());
        r.put(5, e.sessionId());
        r.put(6, e.type());
        r.put(7, e.op());
        r.put(8, e.direction().name());
        r.put(9, e.wireBytes());
        r.put(10, e.rawBytes());
        r.put(11, e.compressed());
        r.put(12, e.latencyMicros());
        r.put(13, e.outcome());
        r.put(14, e.paramVersion());
        r.put(15, e.eventTimeMillis());
        r.put(16, e.experimentId());
        r.put(17, e.arm());
        r.put(18, e.bucket());
        try {
            bytes.reset();
            encoder = EncoderFactory.get().binaryEncoder(bytes, encoder);
            writer.write(r, encoder);
            encoder.flush();
            return bytes.toByteArray();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public FrameEvent decode(byte[] value) {
        try {
            decoder = DecoderFactory.get().binaryDecoder(value, decoder);
            GenericRecord r = reader.read(readInto, decoder);
            readInto = r;
            return new FrameEvent(str(r.get(2)), str(r.get(3)), (Long) r.get(4), str(r.get(5)), str(r.get(6)),
                    str(r.get(7)), Direction.valueOf(str(r.get(8))), (Integer) r.get(9), (Integer) r.get(10),
                    (Boolean) r.get(11), (Long) r.get(12), str(r.get(13)), (Long) r.get(14), (Long) r.get(15),
                    str(r.get(16)), str(r.get(17)), (Integer) r.get(18));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
