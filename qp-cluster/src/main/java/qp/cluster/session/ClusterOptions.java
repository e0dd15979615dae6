package qp.cluster.session;

import static qp.options.TypedOption.duration;
import static qp.options.TypedOption.integer;
import static qp.options.TypedOption.path;
import static qp.options.TypedOption.port;
import static qp.options.TypedOption.string;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import qp.options.TypedOption;

/** Every option of {@code bin/qp cluster start|stop|status}, declared once. */
public final class ClusterOptions {
    private ClusterOptions() {
    }

    public static final TypedOption<Path> STATE_DIR = path("state-dir", Path.of(".qp/cluster"),
            "the cluster's folder: its config, logs, pid files, checkpoints and savepoints");
    public static final TypedOption<Path> DIST_CLASSPATH = path("dist-classpath",
            Path.of("qp-flink-dist/target/flink-dist.classpath"),
            "file holding the cluster's class path (a Flink distribution's lib/, resolved by the qp-flink-dist module)");
    public static final TypedOption<Integer> WEB_UI_PORT = port("web-ui-port", 8081,
            "REST API and web UI of the JobManager (rest.port)");
    public static final TypedOption<Integer> RPC_PORT = port("rpc-port", 6123,
            "JobManager RPC port (jobmanager.rpc.port)");
    public static final TypedOption<Integer> BLOB_PORT = port("blob-port", 0,
            "JobManager blob server port (blob.server.port); 0 = any free port");
    public static final TypedOption<Integer> TASKMANAGER_RPC_PORT = port("taskmanager-rpc-port", 0,
            "TaskManager RPC port (taskmanager.rpc.port); 0 = any free port");
    public static final TypedOption<Integer> TASKMANAGER_DATA_PORT = port("taskmanager-data-port", 0,
            "TaskManager data exchange port (taskmanager.data.port); 0 = any free port");
    public static final TypedOption<Integer> SLOTS = integer("slots", 2,
            "task slots of the TaskManager; the job needs as many as its --parallelism");
    public static final TypedOption<String> JOBMANAGER_MEMORY = string("jobmanager-memory", "1024m",
            "JobManager process size (jobmanager.memory.process.size)");
    public static final TypedOption<String> TASKMANAGER_MEMORY = string("taskmanager-memory", "1728m",
            "TaskManager process size (taskmanager.memory.process.size); heap and direct memory follow from it");
    public static final TypedOption<String> CHECKPOINT_DIR = string("checkpoint-dir", null,
            "checkpoint storage of the cluster (execution.checkpointing.dir); default file://<state-dir>/checkpoints");
    public static final TypedOption<String> SAVEPOINT_DIR = string("savepoint-dir", null,
            "default savepoint folder (execution.checkpointing.savepoint-dir); default file://<state-dir>/savepoints");
    public static final TypedOption<Duration> START_TIMEOUT = duration("start-timeout", Duration.ofMinutes(3),
            "how long start waits for the TaskManager to register with the JobManager");
    public static final TypedOption<Duration> STOP_TIMEOUT = duration("stop-timeout", Duration.ofSeconds(30),
            "how long stop waits for each process after SIGTERM before it kills it");

    public static final List<TypedOption<?>> ALL = List.of(STATE_DIR, DIST_CLASSPATH, WEB_UI_PORT, RPC_PORT, BLOB_PORT,
            TASKMANAGER_RPC_PORT, TASKMANAGER_DATA_PORT, SLOTS, JOBMANAGER_MEMORY, TASKMANAGER_MEMORY, CHECKPOINT_DIR,
            SAVEPOINT_DIR, START_TIMEOUT, STOP_TIMEOUT);
}
