package qp.protocol.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qp.protocol.json.QpJson;

class ExportFileTest {
    @TempDir
    Path dir;

    private static ExportRecord rec(String topic, long offset, String key) throws Exception {
        return new ExportRecord(topic, 1, offset, key, 1_796_036_267_882L + offset,
                QpJson.tree(("{\"nodeId\":\"edge-1\",\"n\":" + offset + "}").getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void plainAndGzipFilesRoundTripEveryFieldInOrder() throws Exception {
        List<ExportRecord> records = List.of(rec("qp.frames", 5, "c7"), rec("qp.node-metrics", 6, null),
                rec("qp.frames", 7, "c8"));
        for (String name : List.of("a.jsonl", "a.jsonl.gz")) {
            Path f = dir.resolve(name);
            try (ExportWriter w = ExportWriter.create(f)) {
                for (ExportRecord r : records) {
                    w.write(r);
                }
                assertThat(w.written()).isEqualTo(3);
            }
            assertThat(ExportReader.readAll(f)).as(name).isEqualTo(records);
        }
        assertThat(Files.readAllLines(dir.resolve("a.jsonl")).get(0)).isEqualTo("{\"topic\":\"qp.frames\","
                + "\"partition\":1,\"offset\":5,\"key\":\"c7\",\"timestampMillis\":1796036267887,"
                + "\"value\":{\"nodeId\":\"edge-1\",\"n\":5}}");
    }

    @Test
    void unknownFieldsAndBlankLinesAreIgnored() throws Exception {
        Path f = dir.resolve("x.jsonl");
        Files.writeString(f, "\n{\"topic\":\"qp.frames\",\"extra\":1,\"value\":{\"a\":1}}\n\n");
        List<ExportRecord> all = ExportReader.readAll(f);
        assertThat(all).hasSize(1);
        assertThat(all.get(0).value().get("a").asInt()).isEqualTo(1);
        assertThat(all.get(0).key()).isNull();
    }

    @Test
    void aMalformedLineIsAnErrorThatNamesItsLineNumber() throws Exception {
        Path f = dir.resolve("bad.jsonl");
        Files.writeString(f, "{\"topic\":\"qp.frames\",\"value\":{}}\n{\"topic\":\"qp.frames\",\"value\":{\n");
        assertThatThrownBy(() -> ExportReader.readAll(f)).isInstanceOf(ExportFormatException.class)
                .hasMessageStartingWith(f + ": line 2 is not JSON")
                .satisfies(e -> assertThat(((ExportFormatException) e).lineNumber()).isEqualTo(2));
        Files.writeString(f, "{\"value\":{}}\n");
        assertThatThrownBy(() -> ExportReader.readAll(f)).hasMessage(f + ": line 1 has no \"topic\"");
        Files.writeString(f, "[1]\n");
        assertThatThrownBy(() -> ExportReader.readAll(f)).hasMessage(f + ": line 1 is not a JSON object");
    }

    @Test
    void aMissingFileOrAFakeGzipIsOneClearError() throws Exception {
        Path missing = dir.resolve("nope.jsonl");
        assertThatThrownBy(() -> ExportReader.readAll(missing)).hasMessage(missing + ": no such export file");
        Path fake = dir.resolve("fake.jsonl.gz");
        Files.writeString(fake, "not gzip");
        assertThatThrownBy(() -> ExportReader.readAll(fake)).isInstanceOf(ExportFormatException.class)
                .hasMessageStartingWith(fake + ": not a gzip file");
    }
}
