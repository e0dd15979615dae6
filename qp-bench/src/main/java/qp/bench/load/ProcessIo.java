package qp.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Bytes this process has read and written through system calls ({@code rchar}/{@code wchar} of /proc/PID/io). During
 * a load run the process does almost nothing but socket I/O, so the difference over the measured window is the bytes
 * on the wire (TCP payload: HTTP headers, WebSocket framing, QP headers and payloads), both directions.
 */
public record ProcessIo(long readBytes, long writtenBytes) {
    public static final ProcessIo UNKNOWN = new ProcessIo(-1, -1);

    /** This JVM's counters, or {@link #UNKNOWN} where /proc is not available. */
    public static ProcessIo self() {
        return of(ProcessHandle.current().pid());
    }

    public static ProcessIo of(long pid) {
        try {
            long r = -1;
            long w = -1;
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/io"))) {
                if (line.startsWith("rchar:")) {
                    r = Long.parseLong(line.substring(6).trim());
                } else if (line.startsWith("wchar:")) {
                    w = Long.parseLong(line.substring(6).trim());
                }
            }
            return new ProcessIo(r, w);
        } catch (IOException | RuntimeException e) {
            return UNKNOWN;
        }
    }

    public boolean known() {
        return readBytes >= 0 && writtenBytes >= 0;
    }

    /** What happened since {@code before}; unknown if either side is. */
    public ProcessIo minus(ProcessIo before) {
        return known() && before.known()
                ? new ProcessIo(readBytes - before.readBytes, writtenBytes - before.writtenBytes) : UNKNOWN;
    }
}
