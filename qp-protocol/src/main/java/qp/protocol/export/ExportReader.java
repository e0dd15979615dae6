package qp.protocol.export;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import qp.protocol.json.QpJson;

/**
 * Reads an export file line by line, plain or gzip ({@code .gz}). Blank lines are skipped, unknown fields ignored; a
 * malformed line is an {@link ExportFormatException} that names the file and the line.
 */
public final class ExportReader implements Closeable {
    private final Path file;
    private final BufferedReader in;
    private long lineNumber;

    private ExportReader(Path file, BufferedReader in) {
        this.file = file;
        this.in = in;
    }

    public static ExportReader open(Path file) throws IOException {
        InputStream raw;
        try {
            raw = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new ExportFormatException(file + ": no such export file", 0);
        }
        try {
            InputStream body = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
            return new ExportReader(file, new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 1 << 16));
        } catch (IOException e) {
            raw.close();
            throw new ExportFormatException(file + ": not a gzip file (" + e.getMessage() + ")", 0);
        }
    }

    /** Every record of a file, in order. */
    public static List<ExportRecord> readAll(Path file) throws IOException {
        List<ExportRecord> out = new ArrayList<>();
        try (ExportReader r = open(file)) {
            for (ExportRecord rec; (rec = r.next()) != null; ) {
                out.add(rec);
            }
        }
        return out;
    }

    /** The next record, or null at the end of the file. */
    public ExportRecord next() throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            lineNumber++;
            if (!line.isBlank()) {
                return parse(line);
            }
        }
        return null;
    }

    /** The number of the line last read (1-based). */
    public long lineNumber() {
        return lineNumber;
    }

    private ExportRecord parse(String line) throws ExportFormatException {
        JsonNode n;
        try {
            n = QpJson.tree(line.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw bad("is not JSON (" + firstLine(e.getMessage()) + ")");
        }
        if (!n.isObject()) {
            throw bad("is not a JSON object");
        }
        JsonNode topic = n.get("topic");
        JsonNode value = n.get("value");
        if (topic == null || !topic.isTextual() || topic.asText().isEmpty()) {
            throw bad("has no \"topic\"");
        }
        if (value == null || value.isNull()) {
            throw bad("has no \"value\"");
        }
        JsonNode key = n.get("key");
        return new ExportRecord(topic.asText(), n.path("partition").asInt(0), n.path("offset").asLong(-1),
                key == null || key.isNull() ? null : key.asText(), n.path("timestampMillis").asLong(0), value);
    }

    private ExportFormatException bad(String what) {
        return new ExportFormatException(file + ": line " + lineNumber + " " + what, lineNumber);
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
