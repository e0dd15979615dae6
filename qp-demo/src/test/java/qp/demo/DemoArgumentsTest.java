package qp.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad arguments are refused with a clear line before the demo starts anything. */
class DemoArgumentsTest {
    @Test
    void aSessionCountOutOfRangeIsRefusedBeforeAnythingStarts(@TempDir Path dir) throws Exception {
        for (String bad : new String[] {"0", "201"}) {
            Path state = dir.resolve("state-" + bad);
            StringWriter err = new StringWriter();
            CommandLine cli = DemoMain.cli();
            cli.setErr(new PrintWriter(err, true));
            int code = cli.execute("--connections", bad, "--state-dir", state.toString(), "--no-job", "--no-agent");
            assertThat(code).isEqualTo(2);
            assertThat(err.toString()).isEqualTo("qp demo: --connections must be 1..200, got " + bad
                    + System.lineSeparator());
            assertThat(Files.exists(state)).as("nothing prepared or started").isFalse();
        }
    }

    @Test
    void aSessionCountThatIsNotANumberIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cli = DemoMain.cli();
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute("--connections", "many")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--connections", "many");
    }
}
