package qp.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: help from the declarations, and one line on stderr with exit code 2 for each mistake. */
class AgentMainTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    Run run(String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = AgentMain.run(args, Map.<String, String>of()::get, new PrintWriter(out, true),
                new PrintWriter(err, true), false);
        return new Run(code, out.toString(), err.toString());
    }

    Path config() throws Exception {
        Path token = dir.resolve("t");
        Files.writeString(token, "tok");
        Path f = dir.resolve("agent.json");
        Files.writeString(f, "{\"gateways\":[{\"nodeId\":\"edge-1\",\"adminUrl\":\"http://127.0.0.1:1\","
                + "\"adminTokenFile\":\"" + token + "\"}]}");
        return f;
    }

    @Test
    void helpListsEveryDeclaredOption() throws Exception {
        Run r = run("--help");
        assertThat(r.code()).isZero();
        for (var o : qp.agent.config.AgentOptions.ALL) {
            assertThat(r.out()).contains("--" + o.name());
        }
    }

    @Test
    void mistakesAreOneLineAndExitTwo() throws Exception {
        Run unknown = run("--frobnicate");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("qp agent: Unknown option: '--frobnicate'").hasLineCount(1);

        Run noGateways = run("--db", dir.resolve("a.db").toString());
        assertThat(noGateways.code()).isEqualTo(2);
        assertThat(noGateways.err()).startsWith("qp agent: no gateways: the config (--config FILE) must list").hasLineCount(1);

        Run badValue = run("--config", config().toString(), "--experiment-share", "0.9");
        assertThat(badValue.err()).isEqualTo("qp agent: --experiment-share must be between 0.05 and 0.5, got 0.9\n");

        Path corrupt = dir.resolve("corrupt.db");
        Files.writeString(corrupt, "not a database ".repeat(100));
        Run badStore = run("--config", config().toString(), "--db", corrupt.toString(), "--kafka", "127.0.0.1:1");
        assertThat(badStore.code()).isEqualTo(2);
        assertThat(badStore.err()).startsWith("qp agent: " + corrupt + ": not a readable QP store (").hasLineCount(1);
    }
}
