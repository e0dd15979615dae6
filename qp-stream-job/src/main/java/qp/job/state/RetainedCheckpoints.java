package qp.job.state;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Finds the newest complete checkpoint under a checkpoint directory. Flink writes
 * {@code <dir>/<job id>/chk-<n>/_metadata}; a checkpoint without {@code _metadata} was not completed (the job
 * stopped while writing it) and is skipped. Works on any Flink file system ({@code file://}, {@code s3://}, ...).
 */
public final class RetainedCheckpoints {
    private RetainedCheckpoints() {
    }

    /** A complete checkpoint: its directory and when its metadata was written. */
    public record Found(String path, long writtenAtMillis, long checkpointId) {
    }

    public static Optional<Found> latest(String checkpointDir) throws IOException {
        Path root = new Path(URI.create(checkpointDir));
        FileSystem fs = root.getFileSystem();
        if (!fs.exists(root)) {
            return Optional.empty();
        }
        Found best = null;
        for (FileStatus job : list(fs, root)) {
            if (!job.isDir()) {
                continue;
            }
            for (FileStatus chk : list(fs, job.getPath())) {
                String name = chk.getPath().getName();
                if (!chk.isDir() || !name.startsWith("chk-")) {
                    continue;
                }
                Path metadata = new Path(chk.getPath(), "_metadata");
                if (!fs.exists(metadata)) {
                    continue;
                }
                long written = fs.getFileStatus(metadata).getModificationTime();
                if (best == null || written > best.writtenAtMillis()) {
                    best = new Found(chk.getPath().toString(), written, parseId(name));
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private static FileStatus[] list(FileSystem fs, Path dir) throws IOException {
        FileStatus[] s = fs.listStatus(dir);
        return s == null ? new FileStatus[0] : s;
    }

    private static long parseId(String name) {
        try {
            return Long.parseLong(name.substring("chk-".length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
