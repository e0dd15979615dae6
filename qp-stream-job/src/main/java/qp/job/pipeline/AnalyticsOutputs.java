package qp.job.pipeline;

import org.apache.flink.streaming.api.datastream.DataStream;
import qp.protocol.analytics.Anomaly;
import qp.protocol.analytics.BigramWindow;
import qp.protocol.analytics.ExperimentStats;
import qp.protocol.analytics.Recommendation;
import qp.protocol.analytics.TrendReport;
import qp.protocol.analytics.WindowStats;
import qp.protocol.events.FrameEvent;

/**
 * The streams {@link AnalyticsPipeline#build} produces, for the job to sink.
 *
 * @param windowStats     per node/type and per node ("*") window rows (tumbling, plus the sliding view when configured)
 * @param anomalies       all detectors' anomalies
 * @param bigrams         per node and window, the top message-type sequences
 * @param recommendations rule-based recommendations (source "rules")
 * @param lateFrames      frames that arrived after their window closed (and its allowed lateness)
 * @param trends          per node, throughput and latency trends over recent windows
 * @param experimentStats per node, running experiment and window, the arms' sums, latency and sessions
 */
public record AnalyticsOutputs(
        DataStream<WindowStats> windowStats,
        DataStream<Anomaly> anomalies,
        DataStream<BigramWindow> bigrams,
        DataStream<Recommendation> recommendations,
        DataStream<FrameEvent> lateFrames,
        DataStream<TrendReport> trends,
        DataStream<ExperimentStats> experimentStats) {
}
