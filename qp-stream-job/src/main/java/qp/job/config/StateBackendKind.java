package qp.job.config;

/** Where the job's keyed state lives between checkpoints. */
public enum StateBackendKind {
    /** On the JVM heap: fastest; the state must fit in the TaskManager's memory. */
    HASHMAP("hashmap"),
    /** In RocksDB on local disk, with incremental checkpoints: for state larger than memory. */
    ROCKSDB("rocksdb");

    private final String flinkName;

    StateBackendKind(String flinkName) {
        this.flinkName = flinkName;
    }

    /** The value of Flink's {@code state.backend.type}. */
    public String flinkName() {
        return flinkName;
    }
}
