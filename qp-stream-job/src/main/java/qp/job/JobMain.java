package qp.job;

import java.util.Arrays;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import qp.job.config.JobConfig;
import qp.job.config.JobOptions;
import qp.job.config.OptionsDoc;
import qp.job.io.KafkaSinks;
import qp.job.io.KafkaSources;

/**
 * The QP stream job on Kafka. On a cluster: {@code flink run qp-stream-job.jar --bootstrap-servers kafka:9092}.
 * In this JVM with the web UI: {@code java -cp <compile+provided classpath> qp.job.JobMain --local}.
 * Options: {@code --help}, or docs/job-options.md.
 */
public final class JobMain {
    private JobMain() {
    }

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.print(OptionsDoc.markdown());
            return;
        }
        JobConfig config;
        try {
            config = JobConfig.parse(args);
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

    static StreamExecutionEnvironment environment(JobConfig config) {
        StreamExecutionEnvironment env;
        if (config.get(JobOptions.LOCAL)) {
            Configuration conf = new Configuration();
            conf.set(RestOptions.PORT, config.get(JobOptions.WEB_UI_PORT));
            env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        } else {
            env = StreamExecutionEnvironment.getExecutionEnvironment();
        }
        return QpJob.configure(env, config);
    }
}
