package qp.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's demo options are the declared ones: run {@code bin/qp docs} after changing one. */
class DemoOptionsDocTest {
    @Test
    void theReadmeListsEveryDemoOptionAsDeclared() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        assertThat(readme).as("README.md is stale: run bin/qp docs").isEqualTo(DemoOptionsDoc.withTable(readme));
        assertThat(readme).contains("| `--duration` | 7m |");
    }
}
