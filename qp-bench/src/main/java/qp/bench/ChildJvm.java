package qp.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM the benchmark started (server, broker): output to a log file, ready when a line matches, CPU time read from
 * /proc so the runner can charge each process's CPU to the replies of a round. Stopped with SIGTERM, then killed.
 */
final class ChildJvm implements AutoCloseable {
    /** Linux reports utime/stime in clock ticks of USER_HZ, 100 on every mainstream kernel. */
    private static final double TICKS_PER_SECOND = 100.0;

    final String name;
    final Process process;
    final Path log;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static List<String> javaCommand(List<String> jvmArgs, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /** Starts the command and waits until its output has a line matching {@code ready}; returns the match. */
    static ChildJvm start(String name, List<String> command, Map<String, String> env, Path log, Pattern ready,
            Duration timeout, StringBuilder matched) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        ChildJvm child = new ChildJvm(name, pb.start(), log);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!child.process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + child.process.exitValue() + " before it was ready; see " + log);
            }
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                Matcher m = ready.matcher(line);
                if (m.find()) {
                    matched.append(m.groupCount() > 0 ? m.group(1) : line);
                    return child;
                }
            }
            Thread.sleep(200);
        }
        child.close();
        throw new IllegalStateException(name + " not ready within " + timeout + "; see " + log);
    }

    long pid() {
        return process.pid();
    }

    /** User + system CPU seconds of the process so far (all threads). */
    double cpuSeconds() {
        return cpuSeconds(process.pid());
    }

    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // fields after the ")" of the command name: state is field 3; utime 14, stime 15
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
