package qp.job.training;


/** A trained latency regressor, whatever library made it. Thread-safe for predictions. */
public interface LatencyModel {
    /** Predicted latency of a row, microseconds. */
    double predictMicros(TrainingRow row);

    /** Each ensemble member's prediction (one element for a single model): their spread says how sure it is. */
    double[] memberPredictionsMicros(TrainingRow row);

    /** The model as bytes that {@link LatencyTrainer#load} reads back (for state and for qp.models). */
    byte[] toBytes();

    /** What was trained, as a person reads it. */
    String algorithm();
}
