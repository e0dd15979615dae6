package qp.job;

import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import qp.protocol.analytics.Anomaly;
import qp.protocol.analytics.AnomalyKind;
import qp.protocol.analytics.Recommendation;

/** Counters of what the job concludes, for the web UI: anomalies by kind, and recommendations. Records pass unchanged. */
final class CountOutputs {
    private CountOutputs() {
    }

    /** Operator {@code count-anomalies}: counters {@code anomalies.LATENCY_SPIKE}, {@code anomalies.ERROR_BURST}, ... */
    static final class Anomalies extends RichMapFunction<Anomaly, Anomaly> {
        private static final long serialVersionUID = 1L;
        private transient Map<AnomalyKind, Counter> byKind;

        @Override
        public void open(OpenContext openContext) {
            MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("anomalies");
            byKind = new EnumMap<>(AnomalyKind.class);
            for (AnomalyKind kind : AnomalyKind.values()) {
                byKind.put(kind, group.counter(kind.name()));
            }
        }

        @Override
        public Anomaly map(Anomaly a) {
            byKind.get(a.kind()).inc();
            return a;
        }
    }

    /** Operator {@code count-recommendations}: counter {@code recommendations}. */
    static final class Recommendations extends RichMapFunction<Recommendation, Recommendation> {
        private static final long serialVersionUID = 1L;
        private transient Counter recommendations;

        @Override
        public void open(OpenContext openContext) {
            recommendations = getRuntimeContext().getMetricGroup().counter("recommendations");
        }

        @Override
        public Recommendation map(Recommendation r) {
            recommendations.inc();
            return r;
        }
    }
}
