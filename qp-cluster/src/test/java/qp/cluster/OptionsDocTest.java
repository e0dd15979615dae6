package qp.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's tables of `bin/qp cluster` and `bin/qp submit` options are the declarations; `bin/qp docs` rewrites them. */
class OptionsDocTest {
    @Test
    void theReadmeListsEveryOptionAsDeclared() throws Exception {
        Path readme = Path.of(System.getProperty("qp.repoRoot"), "README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        assertThat(OptionsDocMain.withTables(text)).as("README.md is out of date: run bin/qp docs").isEqualTo(text);
    }
}
