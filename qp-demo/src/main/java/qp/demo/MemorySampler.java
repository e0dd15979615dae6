package qp.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * Samples the resident memory of the whole demo: this JVM plus every process it started (VmRSS of /proc/PID/status),
 * summed, and keeps the peak of the sums.
 */
final class MemorySampler {
    private final Supplier<List<ProcessHandle>> processes;
    private volatile long lastBytes;
    private volatile long peakBytes;
    private volatile int lastCount;

    MemorySampler(Supplier<List<ProcessHandle>> processes) {
        this.processes = processes;
    }

    void sample() {
        long sum = rssBytes(ProcessHandle.current().pid());
        int n = 1;
        for (ProcessHandle p : processes.get()) {
            sum += rssBytes(p.pid());
            n++;
        }
        lastBytes = sum;
        lastCount = n;
        peakBytes = Math.max(peakBytes, sum);
    }

    long lastBytes() {
        return lastBytes;
    }

    long peakBytes() {
        return peakBytes;
    }

    int processCount() {
        return lastCount;
    }

    static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended between listing and reading
        }
        return 0;
    }

    static String gib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.2f GiB", bytes / (1024.0 * 1024 * 1024));
    }
}
