package qp.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {
    @TempDir
    Path dir;

    Path file(String json) throws Exception {
        Path f = dir.resolve("agent.json");
        Files.writeString(f, json);
        return f;
    }

    @Test
    void defaultsThenTheFileThenTheCommandLine() throws Exception {
        Path token = dir.resolve("admin-token");
        Files.writeString(token, "s3cret\n");
        Path f = file("{\"gateways\":[{\"nodeId\":\"edge-1\",\"adminUrl\":\"http://127.0.0.1:9998\",\"adminTokenFile\":\""
                + token + "\"},{\"nodeId\":\"edge-2\",\"adminUrl\":\"http://127.0.0.1:9988\",\"adminTokenEnv\":\"E2\"}],"
                + "\"min-confidence\":0.7,\"cooldown\":\"2min\",\"mode\":\"advise\",\"dry-run\":true}");
        AgentConfig c = AgentConfig.load(Map.of("config", f.toString(), "cooldown", "30s"), Map.of("E2", "other")::get);
        assertThat(c.get(AgentOptions.MIN_CONFIDENCE)).isEqualTo(0.7);
        assertThat(c.get(AgentOptions.COOLDOWN)).as("the command line wins").isEqualTo(Duration.ofSeconds(30));
        assertThat(c.get(AgentOptions.MODE)).isEqualTo(AgentOptions.Mode.ADVISE);
        assertThat(c.get(AgentOptions.DRY_RUN)).isTrue();
        assertThat(c.get(AgentOptions.MIN_IMPROVEMENT)).as("default").isEqualTo(0.2);
        assertThat(c.gateways()).containsExactly(
                new GatewayEntry("edge-1", URI.create("http://127.0.0.1:9998"), "s3cret"),
                new GatewayEntry("edge-2", URI.create("http://127.0.0.1:9988"), "other"));
        assertThat(c.gateways().get(0).toString()).doesNotContain("s3cret");
    }

    @Test
    void eachMistakeIsOneLineThatNamesIt() throws Exception {
        assertThatThrownBy(() -> AgentConfig.load(Map.of("config", dir.resolve("none.json").toString()), k -> null))
                .hasMessage("--config " + dir.resolve("none.json") + ": no such file");
        Path f = file("{\"gateways\":[{\"nodeId\":\"edge-1\",\"adminUrl\":\"http://h:1\",\"adminToken\":\"x\"}]}");
        assertThatThrownBy(() -> AgentConfig.load(Map.of("config", f.toString()), k -> null))
                .hasMessage("--config " + f + ": gateways[0] needs \"adminTokenFile\" or \"adminTokenEnv\" (tokens are "
                        + "never written in the config itself)");
        Path g = file("{\"gateways\":[{\"nodeId\":\"edge-1\",\"adminUrl\":\"ftp://h\",\"adminTokenEnv\":\"T\"}]}");
        assertThatThrownBy(() -> AgentConfig.load(Map.of("config", g.toString()), k -> "t"))
                .hasMessageContaining("adminUrl ftp://h is not an http(s) URL with a host");
        Path h = file("{\"gateways\":[], \"min-confidance\": 0.5}");
        assertThatThrownBy(() -> AgentConfig.load(Map.of("config", h.toString()), k -> null))
                .hasMessageContaining("unknown key \"min-confidance\"");
        Path i = file("{\"gateways\":[{\"nodeId\":\"edge-1\",\"adminUrl\":\"http://h:1\",\"adminTokenEnv\":\"NOPE\"}]}");
        assertThatThrownBy(() -> AgentConfig.load(Map.of("config", i.toString()), k -> null))
                .hasMessageContaining("environment variable NOPE (adminTokenEnv) is not set");
        assertThatThrownBy(() -> AgentConfig.load(Map.of("cooldown", "soon"), k -> null))
                .hasMessage("--cooldown: cannot read 'soon' as duration (expected a number and a unit: 500ms, 10s, 5min, 1h)");
        assertThatThrownBy(() -> AgentConfig.load(Map.of("min-confidence", "1.5"), k -> null))
                .hasMessage("--min-confidence must be between 0 and 1, got 1.5");
        assertThatThrownBy(() -> AgentConfig.load(Map.of("slo-p99", "0ms"), k -> null))
                .hasMessage("--slo-p99 must be positive, got 0 ms");
        assertThatThrownBy(() -> AgentConfig.load(Map.of("slo-refusal-rate", "1"), k -> null))
                .hasMessage("--slo-refusal-rate must be between 0 and 1, got 1.0");
        assertThatThrownBy(() -> AgentConfig.load(Map.of("mode", "yolo"), k -> null))
                .hasMessage("--mode: cannot read 'yolo' as apply|advise (not one of the choices)");
    }
}
