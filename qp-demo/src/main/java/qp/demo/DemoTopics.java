package qp.demo;

import java.util.List;

/** The topics the demo creates and reads (the defaults of DESIGN.md). */
final class DemoTopics {
    static final String WINDOW_STATS = "qp.window-stats";
    static final String ANOMALIES = "qp.anomalies";
    static final String MODELS = "qp.models";
    static final String RECOMMENDATIONS = "qp.recommendations";

    /** Every topic with its partition count, created before the job starts (as bin/qp kafka start does). */
    static final List<String> ALL = List.of("qp.frames:2", "qp.node-metrics:1", "qp.window-stats:2", "qp.anomalies:1",
            "qp.bigrams:1", "qp.recommendations:1", "qp.trends:1", "qp.dlq:1", "qp.late-frames:1", "qp.models:1", "qp.control:1",
            "qp.experiment-stats:1");

    static final List<String> READ = List.of(WINDOW_STATS, ANOMALIES, MODELS, RECOMMENDATIONS);

    private DemoTopics() {
    }
}
