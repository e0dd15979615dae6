package qp.job.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import qp.options.TypedOption;

class OptionsDocTest {
    /** Maven runs the tests in the module folder; the docs live at the repository root. */
    private static final Path ROOT = Path.of("..");
    private static final String REGENERATE = " is out of date with qp.job.config.JobOptions; regenerate it with bin/qp docs";

    @Test
    void committedOptionsPageMatchesTheDeclarations() throws Exception {
        Path doc = ROOT.resolve("docs/job-options.md");
        assertThat(doc).as("docs/job-options.md").exists();
        assertThat(Files.readString(doc, StandardCharsets.UTF_8)).as("docs/job-options.md" + REGENERATE)
                .isEqualTo(OptionsDoc.PAGE.markdown());
    }

    @Test
    void readmeOptionsTableMatchesTheDeclarations() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        assertThat(readme).as("README.md's job options table" + REGENERATE).isEqualTo(OptionsDoc.PAGE.withTable(readme));
        assertThat(readme).contains(OptionsDoc.PAGE.table());
    }

    @Test
    void everyDeclaredOptionHasOneRowWithItsDefault() {
        String md = OptionsDoc.PAGE.table();
        for (TypedOption<?> o : JobOptions.ALL) {
            assertThat(md).contains("| `--" + o.name() + "` |");
            assertThat(o.description()).isNotBlank();
        }
        assertThat(md).contains("| `--window-size` | duration | `10 s` |");
        assertThat(JobOptions.ALL.stream().map(TypedOption::name).distinct().count()).isEqualTo(JobOptions.ALL.size());
    }

    @Test
    void aReadmeWithoutTheMarkersIsAClearError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OptionsDoc.PAGE.withTable("# no table here"))
                .hasMessageContaining("<!-- job-options:begin -->");
    }
}
