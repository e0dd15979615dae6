package qp.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's scenario, load and limit-bench options are the declared ones: run {@code bin/qp docs} after changing one. */
class BenchOptionsDocTest {
    @Test
    void theReadmeListsEveryScenarioLoadAndLimitBenchOptionAsDeclared() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        assertThat(readme).as("README.md is stale: run bin/qp docs").isEqualTo(BenchOptionsDoc.withTables(readme));
        assertThat(readme).contains("| `--surge-connections` | 150 |");
        assertThat(readme).contains("| `--start-limit` | 1000 |");
    }
}
