package qp.cluster.session;

/** The two JVMs of a standalone session cluster: the entry points Flink's own scripts start. */
public enum FlinkProcess {
    JOBMANAGER("jobmanager", "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
            "GET_JM_RESOURCE_PARAMS"),
    TASKMANAGER("taskmanager", "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", "GET_TM_RESOURCE_PARAMS");

    private final String fileName;
    private final String mainClass;
    private final String resourceCommand;

    FlinkProcess(String fileName, String mainClass, String resourceCommand) {
        this.fileName = fileName;
        this.mainClass = mainClass;
        this.resourceCommand = resourceCommand;
    }

    /** Base name of its pid, log and out files. */
    public String fileName() {
        return fileName;
    }

    public String mainClass() {
        return mainClass;
    }

    /** The BashJavaUtils command that computes its heap flags and memory settings. */
    public String resourceCommand() {
        return resourceCommand;
    }
}
