package qp.options.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class PicocliOptionsTableTest {
    @Command(name = "sample", mixinStandardHelpOptions = true)
    static final class Sample {
        @Option(names = "--port", defaultValue = "9999", description = "QP port (0 = any free port). Default: ${DEFAULT-VALUE}")
        int port;

        @Option(names = "--node-id", description = "this node's name. Default: the host name")
        String nodeId;

        @Option(names = "--spool-dir", description = "the spool. Default: ./qp-spool/<node-id>")
        Path spool;

        @Option(names = "--rate", defaultValue = "100", description = "requests per second (default ${DEFAULT-VALUE}).")
        int rate;

        @Option(names = "--web-ui-port", defaultValue = "${env:QP_WEB_UI_PORT:-8081}", description = "Flink web UI | port")
        int webUiPort;

        @Option(names = {"-j", "--json"}, description = "JSON out")
        boolean json;

        @Option(names = "--token-file", description = "the client token (else env QP_TOKEN)")
        Path tokenFile;
    }

    @Test
    void eachOptionIsARowWithItsDefaultAndDescription() {
        assertThat(PicocliOptionsTable.markdown(new Sample())).isEqualTo("""
                | option | default | description |
                |---|---|---|
                | `--port` | 9999 | QP port (0 = any free port) |
                | `--node-id` | the host name | this node's name |
                | `--spool-dir` | ./qp-spool/<node-id> | the spool |
                | `--rate` | 100 | requests per second |
                | `--web-ui-port` | env QP_WEB_UI_PORT, else 8081 | Flink web UI \\| port |
                | `-j`, `--json` | off | JSON out |
                | `--token-file` | none | the client token (else env QP_TOKEN) |
                """);
    }

    @Test
    void aReadmeSectionIsReplacedBetweenItsMarkers() {
        String readme = "intro\n<!-- t:begin -->\nold\n<!-- t:end -->\nrest\n";
        assertThat(ReadmeSection.replace(readme, "t", "new\n")).isEqualTo("intro\n<!-- t:begin -->\nnew\n<!-- t:end -->\nrest\n");
        assertThatThrownBy(() -> ReadmeSection.replace(readme, "missing", "x\n"))
                .hasMessageContaining("<!-- missing:begin -->");
    }
}
