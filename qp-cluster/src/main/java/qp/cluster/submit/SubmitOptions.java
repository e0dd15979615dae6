package qp.cluster.submit;

import static qp.cluster.options.CliOption.duration;
import static qp.cluster.options.CliOption.flag;
import static qp.cluster.options.CliOption.path;
import static qp.cluster.options.CliOption.string;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import qp.cluster.options.CliOption;

/** Every option of {@code bin/qp submit}, declared once. Any other argument is passed to the job. */
public final class SubmitOptions {
    private SubmitOptions() {
    }

    public static final CliOption<String> REST_URL = string("rest-url", "http://localhost:8081",
            "the Flink cluster's REST API (the web UI's address)");
    public static final CliOption<Path> JAR = path("jar", null,
            "the shaded job jar; bin/qp passes qp-stream-job/target/qp-stream-job-*.jar");
    public static final CliOption<String> ENTRY_CLASS = string("entry-class", "qp.job.JobMain",
            "main class of the job in the jar");
    public static final CliOption<String> JOB_NAME = string("job-name", "qp-stream-job",
            "name of the running job that --savepoint stops and that a new submission must not run beside");
    public static final CliOption<Boolean> SAVEPOINT = flag("savepoint",
            "stop the running job with a savepoint and print its path (submits nothing)");
    public static final CliOption<String> SAVEPOINT_DIR = string("savepoint-dir", null,
            "where --savepoint writes; default the cluster's execution.checkpointing.savepoint-dir");
    public static final CliOption<String> FROM_SAVEPOINT = string("from-savepoint", null,
            "start the job from this savepoint (or retained checkpoint) path");
    public static final CliOption<Boolean> ALLOW_NON_RESTORED_STATE = flag("allow-non-restored-state",
            "with --from-savepoint: skip state of operators the new job no longer has");
    public static final CliOption<Duration> WAIT_FOR_CLUSTER = duration("wait-for-cluster", Duration.ZERO,
            "wait this long for the cluster to answer with a TaskManager before giving up (for a submitter started beside it)");
    public static final CliOption<Boolean> SKIP_IF_RUNNING = flag("skip-if-running",
            "when the job already runs, say so and exit 0 instead of failing (for a submitter run on every start)");
    public static final CliOption<Duration> TIMEOUT = duration("timeout", Duration.ofMinutes(5),
            "how long to wait for the cluster: upload, start of the job, savepoint");

    public static final List<CliOption<?>> ALL = List.of(REST_URL, JAR, ENTRY_CLASS, JOB_NAME, SAVEPOINT,
            SAVEPOINT_DIR, FROM_SAVEPOINT, ALLOW_NON_RESTORED_STATE, WAIT_FOR_CLUSTER, SKIP_IF_RUNNING, TIMEOUT);
}
