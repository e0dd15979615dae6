package qp.cluster.submit;

import static qp.options.TypedOption.duration;
import static qp.options.TypedOption.flag;
import static qp.options.TypedOption.path;
import static qp.options.TypedOption.string;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import qp.options.TypedOption;

/** Every option of {@code bin/qp submit}, declared once. Any other argument is passed to the job. */
public final class SubmitOptions {
    private SubmitOptions() {
    }

    public static final TypedOption<String> REST_URL = string("rest-url", "http://localhost:8081",
            "the Flink cluster's REST API (the web UI's address)");
    public static final TypedOption<Path> JAR = path("jar", null,
            "the shaded job jar; bin/qp passes qp-stream-job/target/qp-stream-job-*.jar");
    public static final TypedOption<String> ENTRY_CLASS = string("entry-class", "qp.job.JobMain",
            "main class of the job in the jar");
    public static final TypedOption<String> JOB_NAME = string("job-name", "qp-stream-job",
            "name of the running job that --savepoint stops and that a new submission must not run beside");
    public static final TypedOption<Boolean> SAVEPOINT = flag("savepoint",
            "stop the running job with a savepoint and print its path (submits nothing)");
    public static final TypedOption<String> SAVEPOINT_DIR = string("savepoint-dir", null,
            "where --savepoint writes; default the cluster's execution.checkpointing.savepoint-dir");
    public static final TypedOption<String> FROM_SAVEPOINT = string("from-savepoint", null,
            "start the job from this savepoint (or retained checkpoint) path");
    public static final TypedOption<Boolean> ALLOW_NON_RESTORED_STATE = flag("allow-non-restored-state",
            "with --from-savepoint: skip state of operators the new job no longer has");
    public static final TypedOption<Duration> WAIT_FOR_CLUSTER = duration("wait-for-cluster", Duration.ZERO,
            "wait this long for the cluster to answer with a TaskManager before giving up (for a submitter started beside it)");
    public static final TypedOption<Boolean> SKIP_IF_RUNNING = flag("skip-if-running",
            "when the job already runs, say so and exit 0 instead of failing (for a submitter run on every start)");
    public static final TypedOption<Duration> TIMEOUT = duration("timeout", Duration.ofMinutes(5),
            "how long to wait for the cluster: upload, start of the job, savepoint");

    public static final List<TypedOption<?>> ALL = List.of(REST_URL, JAR, ENTRY_CLASS, JOB_NAME, SAVEPOINT,
            SAVEPOINT_DIR, FROM_SAVEPOINT, ALLOW_NON_RESTORED_STATE, WAIT_FOR_CLUSTER, SKIP_IF_RUNNING, TIMEOUT);
}
