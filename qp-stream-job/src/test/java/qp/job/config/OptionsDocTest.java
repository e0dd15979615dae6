package qp.job.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OptionsDocTest {
    /** Maven runs the tests in the module folder; the docs live at the repository root. */
    private static final Path DOC = Path.of("..", "docs", "job-options.md");

    @Test
    void committedOptionsTableMatchesTheDeclarations() throws Exception {
        assertThat(DOC).as("docs/job-options.md").exists();
        String committed = Files.readString(DOC, StandardCharsets.UTF_8);
        assertThat(committed)
                .as("docs/job-options.md is out of date with qp.job.config.JobOptions; regenerate it with "
                        + "java -cp <classpath> qp.job.config.OptionsDoc docs/job-options.md")
                .isEqualTo(OptionsDoc.markdown());
    }

    @Test
    void everyDeclaredOptionHasOneRowWithItsDefault() {
        String md = OptionsDoc.markdown();
        for (JobOption<?> o : JobOptions.ALL) {
            assertThat(md).contains("| `--" + o.name() + "` |");
            assertThat(o.description()).isNotBlank();
        }
        assertThat(md).contains("| `--window-size` | duration | `10 s` |");
        assertThat(JobOptions.ALL.stream().map(JobOption::name).distinct().count()).isEqualTo(JobOptions.ALL.size());
    }
}
