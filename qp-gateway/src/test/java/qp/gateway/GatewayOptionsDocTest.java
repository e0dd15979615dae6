package qp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's gateway options are the declared ones: run {@code bin/qp docs} after changing an option. */
class GatewayOptionsDocTest {
    @Test
    void theReadmeListsEveryGatewayOptionAsDeclared() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        assertThat(readme).as("README.md is stale: run bin/qp docs").isEqualTo(GatewayOptionsDoc.withTable(readme));
        assertThat(readme).contains("| `--advertised-admin-url` | none |", "| `--port` | 9999 |");
    }
}
