package qp.job;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qp.job.config.JobConfig;
import qp.job.config.JobOptions;
import qp.job.config.OptionsDoc;
import qp.job.io.KafkaSinks;
import qp.job.io.KafkaSources;
import qp.job.state.RetainedCheckpoints;

/**
 * The QP stream job on Kafka. On a cluster: {@code flink run qp-stream-job.jar --bootstrap-servers kafka:9092}.
 * In this JVM with the web UI: {@code java -cp <compile+provided classpath> qp.job.JobMain --local}; a local run
 * resumes from the latest retained checkpoint in its checkpoint directory unless {@code --fresh}.
 * Options: {@code --help}, or docs/job-options.md.
 */
public final class JobMain {
    private static final Logger LOG = LoggerFactory.getLogger(JobMain.class);

    private JobMain() {
    }

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.print(OptionsDoc.PAGE.markdown());
            return;
        }
        JobConfig config;
        try {
            config = localDefaults(JobConfig.parse(args));
        } catch (IllegalArgumentException e) {
            System.err.println("qp-stream-job: " + e.getMessage());
            System.exit(2);
            return;
        }
        StreamExecutionEnvironment env = environment(config);
        QpJob.of(config, new KafkaSources(config), new KafkaSinks(config)).addTo(env);
        System.out.println("qp-stream-job starting with " + config.describe());
        if (config.get(JobOptions.LOCAL)) {
            System.out.println("Flink web UI: http://localhost:" + config.get(JobOptions.WEB_UI_PORT));
        }
        env.execute(config.get(JobOptions.PASS_THROUGH) ? "qp-stream-job (pass-through)" : "qp-stream-job");
    }

    /** A local run without {@code --checkpoint-dir} checkpoints into {@code .qp/checkpoints} of the working directory. */
    static JobConfig localDefaults(JobConfig config) {
        if (config.get(JobOptions.LOCAL) && config.get(JobOptions.CHECKPOINT_DIR).isBlank()) {
            return config.with(JobOptions.CHECKPOINT_DIR, Path.of(".qp", "checkpoints").toAbsolutePath().toUri().toString());
        }
        return config;
    }

    static StreamExecutionEnvironment environment(JobConfig config) throws IOException {
        StreamExecutionEnvironment env;
        if (config.get(JobOptions.LOCAL)) {
            Configuration conf = new Configuration();
            conf.set(RestOptions.PORT, config.get(JobOptions.WEB_UI_PORT));
            restorePoint(config).ifPresent(path -> conf.set(StateRecoveryOptions.SAVEPOINT_PATH, path));
            env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        } else {
            env = StreamExecutionEnvironment.getExecutionEnvironment();
        }
        return QpJob.configure(env, config);
    }

    /** The checkpoint a local run resumes from, said on stderr and in the log; none with {@code --fresh}. */
    static Optional<String> restorePoint(JobConfig config) throws IOException {
        String dir = config.get(JobOptions.CHECKPOINT_DIR);
        if (config.get(JobOptions.FRESH)) {
            say("--fresh: not resuming; starting from --starting-offsets " + config.describe().get("starting-offsets"));
            return Optional.empty();
        }
        Optional<RetainedCheckpoints.Found> found = RetainedCheckpoints.latest(dir);
        if (found.isEmpty()) {
            say("no retained checkpoint in " + dir + "; starting from --starting-offsets "
                    + config.describe().get("starting-offsets"));
            return Optional.empty();
        }
        RetainedCheckpoints.Found f = found.get();
        say("resuming from checkpoint " + f.checkpointId() + " at " + f.path() + " (written "
                + Instant.ofEpochMilli(f.writtenAtMillis()) + "); --fresh starts without it");
        return Optional.of(f.path());
    }

    private static void say(String line) {
        System.err.println("qp-stream-job: " + line);
        LOG.info(line);
    }
}
