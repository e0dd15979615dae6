package qp.job.io;

import qp.job.config.JobOptions;
import qp.protocol.analytics.Anomaly;
import qp.protocol.analytics.BigramWindow;
import qp.protocol.analytics.ExperimentStats;
import qp.protocol.analytics.Recommendation;
import qp.protocol.analytics.TrendReport;
import qp.protocol.analytics.WindowStats;
import qp.protocol.events.FrameEvent;

/** The job's outputs with their topics and keys (DESIGN.md, topics table). */
public final class JobOutputs {
    private JobOutputs() {
    }

    public static final JobOutput<WindowStats> WINDOW_STATS = new JobOutput<>("window-stats",
            JobOptions.WINDOW_STATS_TOPIC, WindowStats.class, s -> s.nodeId() + "/" + s.type());
    public static final JobOutput<Anomaly> ANOMALIES = new JobOutput<>("anomalies",
            JobOptions.ANOMALIES_TOPIC, Anomaly.class, Anomaly::nodeId);
    public static final JobOutput<BigramWindow> BIGRAMS = new JobOutput<>("bigrams",
            JobOptions.BIGRAMS_TOPIC, BigramWindow.class, BigramWindow::nodeId);
    public static final JobOutput<Recommendation> RECOMMENDATIONS = new JobOutput<>("recommendations",
            JobOptions.RECOMMENDATIONS_TOPIC, Recommendation.class, r -> r.nodeId() + "/" + r.parameter());
    public static final JobOutput<TrendReport> TRENDS = new JobOutput<>("trends",
            JobOptions.TRENDS_TOPIC, TrendReport.class, TrendReport::nodeId);
    public static final JobOutput<qp.protocol.analytics.ModelReport> MODELS = new JobOutput<>("models",
            JobOptions.MODELS_TOPIC, qp.protocol.analytics.ModelReport.class, qp.protocol.analytics.ModelReport::name);
    /** No key: dead letters of every input topic share the DLQ, in arrival order per partition of the job. */
    public static final JobOutput<DeadLetter> DEAD_LETTERS = new JobOutput<>("dlq",
            JobOptions.DLQ_TOPIC, DeadLetter.class, d -> null);
    /** Unreadable qp.control records: a sink of their own on the DLQ topic, so the main DLQ sink stays as it was. */
    public static final JobOutput<DeadLetter> CONTROL_DEAD_LETTERS = new JobOutput<>("control-dlq",
            JobOptions.DLQ_TOPIC, DeadLetter.class, d -> null);
    public static final JobOutput<ExperimentStats> EXPERIMENT_STATS = new JobOutput<>("experiment-stats",
            JobOptions.EXPERIMENT_STATS_TOPIC, ExperimentStats.class, s -> s.nodeId() + "/" + s.experimentId());
    /** Keyed like qp.frames, so the late frames can be replayed as they are. */
    public static final JobOutput<FrameEvent> LATE_FRAMES = new JobOutput<>("late-frames",
            JobOptions.LATE_FRAMES_TOPIC, FrameEvent.class, FrameEvent::connectionId);
}
