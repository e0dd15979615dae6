package qp.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import qp.options.OptionArgs;
import qp.cluster.session.ClusterOptions;
import qp.cluster.session.ClusterSettings;
import qp.cluster.submit.SubmitOptions;

/** The cluster and submit commands read with the shared option parser (qp-options tests the parser itself). */
class ClusterArgsTest {
    @Test
    void declaredOptionsAreReadAndTheRestIsKeptInOrder() {
        OptionArgs a = OptionArgs.parse(SubmitOptions.ALL, "--rest-url", "http://jm:8081", "--window-size", "1s",
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
        OptionArgs a = OptionArgs.parse(ClusterOptions.ALL, "--web-ui-port", "8081", "--web-ui-port", "31681");
        assertThat(a.get(ClusterOptions.WEB_UI_PORT)).isEqualTo(31681);
    }

    @Test
    void badValuesNameTheOptionTheValueAndWhatIsExpected() {
        assertThatThrownBy(() -> OptionArgs.parse(ClusterOptions.ALL, "--web-ui-port", "80x"))
                .hasMessageContaining("--web-ui-port").hasMessageContaining("'80x'").hasMessageContaining("port");
        assertThatThrownBy(() -> OptionArgs.parse(ClusterOptions.ALL, "--web-ui-port", "70000"))
                .hasMessageContaining("0..65535");
        assertThatThrownBy(() -> OptionArgs.parse(ClusterOptions.ALL, "--start-timeout", "soon"))
                .hasMessageContaining("--start-timeout").hasMessageContaining("500ms, 10s, 5min, 1h");
        assertThatThrownBy(() -> OptionArgs.parse(ClusterOptions.ALL, "--slots"))
                .hasMessageContaining("--slots needs a value");
        assertThatThrownBy(() -> OptionArgs.parse(SubmitOptions.ALL, "--savepoint=yes"))
                .hasMessageContaining("--savepoint").hasMessageContaining("expected true or false");
    }

    @Test
    void clusterStartTakesFlinkSettingsAsDashDAndRefusesAnythingElse() {
        ClusterSettings s = ClusterSettings.from(OptionArgs.parse(ClusterOptions.ALL, "--state-dir", "target/x",
                "-Dstate.backend.type=rocksdb", "-Dpipeline.max-parallelism=64"));
        assertThat(s.flinkSettings()).containsEntry("state.backend.type", "rocksdb")
                .containsEntry("pipeline.max-parallelism", "64");
        assertThat(s.checkpointDir()).startsWith("file:/").endsWith("target/x/checkpoints");
        assertThatThrownBy(() -> ClusterSettings.from(OptionArgs.parse(ClusterOptions.ALL, "--web-ui", "1")))
                .hasMessageContaining("unknown option '--web-ui'");
        assertThatThrownBy(() -> ClusterSettings.from(OptionArgs.parse(ClusterOptions.ALL, "--slots", "0")))
                .hasMessageContaining("--slots must be at least 1");
    }
}
