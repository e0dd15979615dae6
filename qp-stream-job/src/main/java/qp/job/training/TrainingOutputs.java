package qp.job.training;

import org.apache.flink.streaming.api.datastream.DataStream;
import qp.protocol.analytics.Anomaly;
import qp.protocol.analytics.ModelReport;
import qp.protocol.analytics.Recommendation;

/**
 * What {@link TrainingPipeline#build} produces for the job to sink.
 *
 * @param models          every model version trained, published or rejected (qp.models)
 * @param recommendations the published latency models' recommendations (source "model")
 * @param anomalies       the traffic anomaly model's outliers (kind MODEL_OUTLIER)
 */
public record TrainingOutputs(DataStream<ModelReport> models, DataStream<Recommendation> recommendations,
        DataStream<Anomaly> anomalies) {
}
