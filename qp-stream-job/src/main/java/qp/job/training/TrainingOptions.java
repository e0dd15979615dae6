package qp.job.training;

import java.util.Locale;
import qp.job.config.JobConfig;
import qp.job.config.JobOptions;
import qp.options.ObjectiveOptions;

/** Maps the job options onto the training operators' settings; what no option covers keeps its default. */
public final class TrainingOptions {
    private TrainingOptions() {
    }

    /**
     * @throws IllegalArgumentException naming the option when the sample's size or horizon, or the anomaly model's
     *                                  false-alarm budget, is out of range
     */
    public static TrainingSettings settings(JobConfig c) {
        ObjectiveOptions.check(c.get(ObjectiveOptions.SLO_P99), c.get(ObjectiveOptions.SLO_ERROR_RATE),
                c.get(ObjectiveOptions.SLO_REFUSAL_RATE), c.get(ObjectiveOptions.MIN_IMPROVEMENT));
        TrainingSettings d = TrainingSettings.defaults();
        RecommenderSettings r = d.recommender()
                .withMinImprovement(c.get(ObjectiveOptions.MIN_IMPROVEMENT))
                .withFullConfidenceRows(c.get(JobOptions.TRAIN_SAMPLE_SIZE));
        TrainingSettings s = d.withRetrainIntervalMillis(c.get(JobOptions.RETRAIN_INTERVAL).toMillis())
                .withSample(c.get(JobOptions.MIN_TRAIN_SAMPLES), c.get(JobOptions.TRAIN_SAMPLE_SIZE))
                .withHorizonMillis(c.get(JobOptions.TRAIN_HORIZON).toMillis())
                .withR2Gate(c.get(JobOptions.R2_GATE))
                .withForest(c.get(JobOptions.FOREST_TREES), c.get(JobOptions.FOREST_DEPTH))
                .withAnomaly(falseAlarmShare(c), d.anomalyHistoryWindows())
                .withRecommender(r);
        s.recentSample(); // checks --train-sample-size and --train-horizon
        return s;
    }

    /** The anomaly model's budget per window: false alarms per hour × the windows' share of an hour. */
    static double falseAlarmShare(JobConfig c) {
        double perHour = c.get(JobOptions.ANOMALY_FALSE_ALARMS_PER_HOUR);
        double windowsPerHour = 3_600_000.0 / c.get(JobOptions.WINDOW_SIZE).toMillis();
        double share = perHour / windowsPerHour;
        if (!(share > 0 && share <= TrafficAnomalyModel.MAX_FALSE_ALARM_SHARE)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "--anomaly-false-alarms-per-hour %s: with "
                    + "--window-size %s there are %.0f windows per hour; give a value above 0 and at most %.4g "
                    + "(%.0f%% of them)", perHour, JobOptions.WINDOW_SIZE.format(c.get(JobOptions.WINDOW_SIZE)),
                    windowsPerHour, TrafficAnomalyModel.MAX_FALSE_ALARM_SHARE * windowsPerHour,
                    100 * TrafficAnomalyModel.MAX_FALSE_ALARM_SHARE));
        }
        return share;
    }
}
