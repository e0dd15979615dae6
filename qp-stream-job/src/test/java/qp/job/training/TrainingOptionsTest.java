package qp.job.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;
import qp.job.config.JobConfig;

class TrainingOptionsTest {

    @Test
    void theFalseAlarmBudgetIsASharePerWindowOfTheWindowsInAnHour() {
        // 3600 s / 10 s = 360 windows an hour: 1 false alarm an hour is 1 window in 360
        assertThat(TrainingOptions.settings(JobConfig.parse()).anomalyFalseAlarmShare()).isCloseTo(1 / 360.0, offset(1e-12));
        assertThat(TrainingOptions.settings(JobConfig.parse("--anomaly-false-alarms-per-hour", "2", "--window-size", "30s"))
                .anomalyFalseAlarmShare()).isCloseTo(2 / 120.0, offset(1e-12));
    }

    @Test
    void aBudgetOfMoreThanFivePercentOfTheWindowsOrNoneIsAnErrorThatSaysWhatFits() {
        assertThatThrownBy(() -> TrainingOptions.settings(JobConfig.parse("--anomaly-false-alarms-per-hour", "20",
                "--window-size", "1m")))
                .hasMessageContaining("--anomaly-false-alarms-per-hour 20").hasMessageContaining("60 windows per hour")
                .hasMessageContaining("at most 3");
        assertThatThrownBy(() -> TrainingOptions.settings(JobConfig.parse("--anomaly-false-alarms-per-hour", "0")))
                .hasMessageContaining("above 0");
    }
}
