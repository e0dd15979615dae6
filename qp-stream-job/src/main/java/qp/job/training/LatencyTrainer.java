package qp.job.training;

import java.io.Serializable;
import java.util.List;

/**
 * Trains latency models: the seam between QP and the machine-learning library (Tribuo today,
 * {@link TribuoForestTrainer}), so that another library can replace it without touching the job.
 */
public interface LatencyTrainer extends Serializable {
    LatencyModel train(List<TrainingRow> rows);

    /** Reads back what {@link LatencyModel#toBytes} wrote; an error names what is wrong with the bytes. */
    LatencyModel load(byte[] bytes);
}
