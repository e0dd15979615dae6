package qp.protocol.export;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import qp.protocol.json.QpJson;

/** Writes an export file, one record per line, gzip-compressed when the name ends in {@code .gz}. */
public final class ExportWriter implements Closeable {
    private static final byte[] NEWLINE = {'\n'};
    private final OutputStream out;
    private long written;

    private ExportWriter(OutputStream out) {
        this.out = out;
    }

    public static ExportWriter create(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        return new ExportWriter(file.getFileName().toString().endsWith(".gz") ? new GZIPOutputStream(raw, 1 << 16) : raw);
    }

    public void write(ExportRecord r) throws IOException {
        try (JsonGenerator g = QpJson.mapper().getFactory().createGenerator(new NonClosing(out))) {
            g.writeStartObject();
            g.writeStringField("topic", r.topic());
            g.writeNumberField("partition", r.partition());
            g.writeNumberField("offset", r.offset());
            g.writeStringField("key", r.key());
            g.writeNumberField("timestampMillis", r.timestampMillis());
            g.writeFieldName("value");
            g.writeTree(r.value());
            g.writeEndObject();
        }
        out.write(NEWLINE);
        written++;
    }

    public long written() {
        return written;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /** The generator closes its target when it is done; the file stays open for the next line. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
