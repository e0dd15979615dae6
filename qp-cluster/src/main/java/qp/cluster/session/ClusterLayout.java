package qp.cluster.session;

import java.nio.file.Path;

/** Where a cluster keeps its things inside its state dir. */
public record ClusterLayout(Path stateDir) {
    public ClusterLayout {
        stateDir = stateDir.toAbsolutePath().normalize();
    }

    public Path confDir() {
        return stateDir.resolve("conf");
    }

    public Path logDir() {
        return stateDir.resolve("log");
    }

    public Path pidFile(FlinkProcess p) {
        return stateDir.resolve(p.fileName() + ".pid");
    }

    /** Flink's own log (log4j, rolled). */
    public Path logFile(FlinkProcess p) {
        return logDir().resolve(p.fileName() + ".log");
    }

    /** The JVM's stdout and stderr. */
    public Path outFile(FlinkProcess p) {
        return logDir().resolve(p.fileName() + ".out");
    }

    /** The REST address of the running cluster, for status and submit. */
    public Path restUrlFile() {
        return stateDir.resolve("rest-url");
    }

    public Path checkpoints() {
        return stateDir.resolve("checkpoints");
    }

    public Path savepoints() {
        return stateDir.resolve("savepoints");
    }

    public Path tmp() {
        return stateDir.resolve("tmp");
    }
}
