package qp.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import qp.options.TypedOption;

/** The options table in the README and docs/agent-options.md is what AgentOptions declares (regenerate: bin/qp docs). */
class OptionsDocTest {
    static final Path ROOT = Path.of("..");

    @Test
    void docsPageIsUpToDate() throws Exception {
        assertThat(Files.readString(ROOT.resolve("docs/agent-options.md"), StandardCharsets.UTF_8))
                .as("docs/agent-options.md is generated; run bin/qp docs").isEqualTo(OptionsDoc.PAGE.markdown());
    }

    @Test
    void readmeTableIsUpToDate() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        assertThat(OptionsDoc.PAGE.withTable(readme)).as("README.md's agent options table is generated; run bin/qp docs")
                .isEqualTo(readme);
        for (TypedOption<?> o : AgentOptions.ALL) {
            assertThat(readme).contains("| `--" + o.name() + "` |");
        }
    }
}
