package qp.job.config;

/** Where the sources start reading when the job starts without a checkpoint or savepoint to restore. */
public enum StartingOffsets {
    /** The group's committed offsets, or the earliest where it has none. */
    COMMITTED,
    EARLIEST,
    LATEST
}
