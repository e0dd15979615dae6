package qp.cluster.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import qp.cluster.session.ClusterOptions;
import qp.cluster.session.ClusterSettings;
import qp.cluster.submit.SubmitOptions;

class ParsedArgsTest {
    @Test
    void declaredOptionsAreReadAndTheRestIsKeptInOrder() {
        ParsedArgs a = ParsedArgs.parse(SubmitOptions.ALL, "--rest-url", "http://jm:8081", "--window-size", "1s",
                "--savepoint-dir=file:///sp", "--bounded", "--allow-non-restored-state", "--timeout", "90s");
        assertThat(a.get(SubmitOptions.REST_URL)).isEqualTo("http://jm:8081");
        assertThat(a.get(SubmitOptions.SAVEPOINT_DIR)).isEqualTo("file:///sp");
        assertThat(a.get(SubmitOptions.ALLOW_NON_RESTORED_STATE)).isTrue();
        assertThat(a.get(SubmitOptions.SAVEPOINT)).isFalse();
        assertThat(a.get(SubmitOptions.TIMEOUT)).isEqualTo(Duration.ofSeconds(90));
        assertThat(a.get(SubmitOptions.FROM_SAVEPOINT)).isNull();
        assertThat(a.rest()).containsExactly("--window-size", "1s", "--bounded");
    }

    @Test
    void aLaterValueWinsSoBinQpDefaultsCanBeOverridden() {
        ParsedArgs a = ParsedArgs.parse(ClusterOptions.ALL, "--web-ui-port", "8081", "--web-ui-port", "31681");
        assertThat(a.get(ClusterOptions.WEB_UI_PORT)).isEqualTo(31681);
    }

    @Test
    void badValuesNameTheOptionTheValueAndWhatIsExpected() {
        assertThatThrownBy(() -> ParsedArgs.parse(ClusterOptions.ALL, "--web-ui-port", "80x"))
                .hasMessageContaining("--web-ui-port").hasMessageContaining("'80x'").hasMessageContaining("port");
        assertThatThrownBy(() -> ParsedArgs.parse(ClusterOptions.ALL, "--web-ui-port", "70000"))
                .hasMessageContaining("0..65535");
        assertThatThrownBy(() -> ParsedArgs.parse(ClusterOptions.ALL, "--start-timeout", "soon"))
                .hasMessageContaining("--start-timeout").hasMessageContaining("500ms, 90s, 5min, 1h");
        assertThatThrownBy(() -> ParsedArgs.parse(ClusterOptions.ALL, "--slots"))
                .hasMessageContaining("--slots needs a value");
        assertThatThrownBy(() -> ParsedArgs.parse(SubmitOptions.ALL, "--savepoint=yes"))
                .hasMessageContaining("--savepoint is a flag");
    }

    @Test
    void clusterStartTakesFlinkSettingsAsDashDAndRefusesAnythingElse() {
        ClusterSettings s = ClusterSettings.from(ParsedArgs.parse(ClusterOptions.ALL, "--state-dir", "target/x",
                "-Dstate.backend.type=rocksdb", "-Dpipeline.max-parallelism=64"));
        assertThat(s.flinkSettings()).containsEntry("state.backend.type", "rocksdb")
                .containsEntry("pipeline.max-parallelism", "64");
        assertThat(s.checkpointDir()).startsWith("file:/").endsWith("target/x/checkpoints");
        assertThatThrownBy(() -> ClusterSettings.from(ParsedArgs.parse(ClusterOptions.ALL, "--web-ui", "1")))
                .hasMessageContaining("unknown option '--web-ui'");
        assertThatThrownBy(() -> ClusterSettings.from(ParsedArgs.parse(ClusterOptions.ALL, "--slots", "0")))
                .hasMessageContaining("--slots must be at least 1");
    }

    @Test
    void durationsReadAndPrintTheSameWay() {
        CliOption<Duration> d = CliOption.duration("d", Duration.ZERO, "");
        for (String text : List.of("500ms", "90s", "5min", "2h")) {
            assertThat(d.parse(text)).isEqualTo(CliOption.parseDuration(text));
        }
        assertThat(d.format(Duration.ofMinutes(5))).isEqualTo("5min");
        assertThat(d.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(d.format(Duration.ofMillis(500))).isEqualTo("500ms");
    }
}
