package qp.cluster.options;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import qp.cluster.OptionsDocMain;

/** The README's tables of `bin/qp cluster` and `bin/qp submit` options are the declarations; `bin/qp docs` rewrites them. */
class OptionsDocTest {
    @Test
    void theReadmeListsEveryOptionAsDeclared() throws Exception {
        Path readme = Path.of(System.getProperty("qp.repoRoot"), "README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        assertThat(OptionsDocMain.withTables(text)).as("README.md is out of date: run bin/qp docs").isEqualTo(text);
    }

    @Test
    void aTableHasOneRowPerOptionWithItsDefault() {
        String table = OptionsDoc.table(java.util.List.of(CliOption.port("web-ui-port", 8081, "the UI"),
                CliOption.flag("savepoint", "stop | save"), CliOption.string("from-savepoint", null, "a path")));
        assertThat(table).contains("| `--web-ui-port` | port | `8081` | the UI |", "| `--savepoint` | flag | off | stop \\| save |",
                "| `--from-savepoint` | string | none | a path |");
    }
}
