package qp.job.state;

import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateBackendOptions;
import qp.job.config.JobConfig;
import qp.job.config.JobOptions;
import qp.job.config.StateBackendKind;

/**
 * The job's state backend and checkpoint storage as Flink configuration. Checkpoints always go to a file system
 * (never to the JobManager's memory, whose 5 MB limit per state handle the sequencer's state outgrew under load),
 * and are kept when the job is cancelled, so that the next start can resume from them.
 */
public final class CheckpointSettings {
    private CheckpointSettings() {
    }

    /**
     * Writes the settings into {@code conf}. Without {@code --checkpoint-dir} the directory is left to the cluster's
     * own {@code execution.checkpointing.dir}; {@link qp.job.JobMain} gives local runs a default.
     */
    public static Configuration apply(Configuration conf, JobConfig config) {
        StateBackendKind backend = config.get(JobOptions.STATE_BACKEND);
        conf.set(StateBackendOptions.STATE_BACKEND, backend.flinkName());
        if (backend == StateBackendKind.ROCKSDB) {
            conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        }
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        String dir = config.get(JobOptions.CHECKPOINT_DIR);
        if (!dir.isBlank()) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir);
        }
        conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        // A checkpoint that cannot finish within this time is declined and logged, not waited for forever.
        conf.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, config.get(JobOptions.CHECKPOINT_TIMEOUT));
        conf.set(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, minPause(config));
        return conf;
    }

    /**
     * Half the checkpoint interval: records always get that long to move between two checkpoints, however long one
     * takes. It also delays the first checkpoint: Flink schedules it at a random point between the pause and the
     * interval after the job switches to RUNNING, which is before its tasks are deployed, and without a pause it may
     * come at once and be declined ("not all required tasks are currently running"), counted as a failed checkpoint.
     */
    static Duration minPause(JobConfig config) {
        return config.get(JobOptions.CHECKPOINT_INTERVAL).dividedBy(2);
    }
}
