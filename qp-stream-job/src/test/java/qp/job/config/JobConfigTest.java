package qp.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class JobConfigTest {
    @Test
    void defaultsApplyWhenNothingIsGiven() {
        JobConfig c = JobConfig.parse();
        assertThat(c.get(JobOptions.BOOTSTRAP_SERVERS)).isEqualTo("localhost:9092");
        assertThat(c.get(JobOptions.WINDOW_SIZE)).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.get(JobOptions.WEB_UI_PORT)).isEqualTo(8081);
        assertThat(c.get(JobOptions.LOCAL)).isFalse();
        assertThat(c.get(JobOptions.TRANSACTION_TIMEOUT)).isLessThan(Duration.ofMinutes(15));
    }

    @Test
    void readsSpaceAndEqualsFormsFlagsAndChoices() {
        JobConfig c = JobConfig.parse("--window-size", "5s", "--local", "--parallelism=1",
                "--delivery", "at-least-once", "--bootstrap-servers", "k1:9092,k2:9092", "--bounded", "false",
                "--watermark-delay", "500ms");
        assertThat(c.get(JobOptions.WINDOW_SIZE)).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.get(JobOptions.LOCAL)).isTrue();
        assertThat(c.get(JobOptions.PARALLELISM)).isEqualTo(1);
        assertThat(c.get(JobOptions.DELIVERY)).isEqualTo(Delivery.AT_LEAST_ONCE);
        assertThat(c.get(JobOptions.BOOTSTRAP_SERVERS)).isEqualTo("k1:9092,k2:9092");
        assertThat(c.get(JobOptions.BOUNDED)).isFalse();
        assertThat(c.get(JobOptions.WATERMARK_DELAY)).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void errorsNameTheArgumentAndWhatWasExpected() {
        assertThatThrownBy(() -> JobConfig.parse("--window-size", "soon"))
                .hasMessageContaining("--window-size").hasMessageContaining("'soon'").hasMessageContaining("duration");
        assertThatThrownBy(() -> JobConfig.parse("--windowsize", "5s")).hasMessageContaining("unknown option --windowsize");
        assertThatThrownBy(() -> JobConfig.parse("--parallelism")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> JobConfig.parse("--delivery", "maybe")).hasMessageContaining("exactly-once|at-least-once");
    }

    @Test
    void aRetiredOptionIsAnErrorThatNamesItsReplacement() {
        assertThatThrownBy(() -> JobConfig.parse("--anomaly-contamination", "0.1"))
                .hasMessageContaining("--anomaly-contamination is retired")
                .hasMessageContaining("--anomaly-false-alarms-per-hour");
        assertThatThrownBy(() -> JobConfig.parse("--anomaly-contamination=0.05"))
                .hasMessageContaining("--anomaly-false-alarms-per-hour");
        assertThatThrownBy(() -> JobConfig.parse("--latency-target", "50ms")).hasMessageContaining("--slo-p99");
    }

    @Test
    void theServiceLevelsAreTheAgentsOptionsToo() {
        JobConfig c = JobConfig.parse("--slo-p99", "150ms", "--slo-error-rate", "0.02", "--slo-refusal-rate", "0.1");
        assertThat(c.get(qp.options.ObjectiveOptions.SLO_P99)).isEqualTo(java.time.Duration.ofMillis(150));
        assertThat(qp.job.config.AnalyticsOptions.settings(c).rules().sloP99Micros()).isEqualTo(150_000);
        assertThatThrownBy(() -> qp.job.training.TrainingOptions.settings(JobConfig.parse("--slo-error-rate", "2")))
                .hasMessage("--slo-error-rate must be between 0 and 1, got 2.0");
    }
}
