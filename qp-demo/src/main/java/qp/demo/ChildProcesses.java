package qp.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The processes the demo started, each with its log file. {@link #stopAll()} ends them in reverse order of start,
 * with their descendants (a launcher script's JVM), SIGTERM first and SIGKILL after a grace period, so that nothing
 * the demo started outlives it.
 */
final class ChildProcesses implements AutoCloseable {
    private static final Duration GRACE = Duration.ofSeconds(20);

    /** One started process. */
    record Child(String name, Process process, Path log) {
        long pid() {
            return process.pid();
        }
    }

    private final List<Child> children = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean stopping;

    Child start(String name, List<String> command, Map<String, String> env, Path log) throws IOException {
        if (stopping) {
            throw new IllegalStateException("the demo is stopping");
        }
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        Child c = new Child(name, pb.start(), log);
        children.add(c);
        return c;
    }

    /** Waits until the child's log has a line matching {@code ready}; returns the first group (or the line). */
    static String awaitLine(Child c, Pattern ready, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(c.log())) {
                for (String line : Files.readAllLines(c.log(), StandardCharsets.UTF_8)) {
                    Matcher m = ready.matcher(line);
                    if (m.find()) {
                        return m.groupCount() > 0 ? m.group(1) : line;
                    }
                }
            }
            if (!c.process().isAlive()) {
                throw new IllegalStateException(c.name() + " exited with code " + c.process().exitValue()
                        + " before it was ready; see " + c.log());
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(c.name() + " was not ready within " + timeout.toSeconds() + " s; see " + c.log());
    }

    /** Waits until {@code check} holds, or the child exits, or the time is up. */
    static void await(Child c, String what, Predicate<Child> check, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.test(c)) {
            if (!c.process().isAlive()) {
                throw new IllegalStateException(c.name() + " exited with code " + c.process().exitValue() + " before "
                        + what + "; see " + c.log());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(c.name() + ": " + what + " did not happen within " + timeout.toSeconds()
                        + " s; see " + c.log());
            }
            Thread.sleep(250);
        }
    }

    List<Child> children() {
        synchronized (children) {
            return List.copyOf(children);
        }
    }

    /** A child that has ended on its own (not by {@link #stopAll()}), if any. */
    Optional<Child> exited() {
        return stopping ? Optional.empty() : children().stream().filter(c -> !c.process().isAlive()).findFirst();
    }

    /** Every live process of the demo's children, with their descendants (pids). */
    List<ProcessHandle> liveProcesses() {
        List<ProcessHandle> all = new ArrayList<>();
        for (Child c : children()) {
            ProcessHandle h = c.process().toHandle();
            if (h.isAlive()) {
                all.add(h);
            }
            h.descendants().filter(ProcessHandle::isAlive).forEach(all::add);
        }
        return all;
    }

    void stopAll() {
        stopping = true;
        List<Child> reversed = new ArrayList<>(children());
        Collections.reverse(reversed);
        for (Child c : reversed) {
            stop(c);
        }
    }

    private static void stop(Child c) {
        ProcessHandle h = c.process().toHandle();
        List<ProcessHandle> family = new ArrayList<>(h.descendants().toList());
        family.add(h);
        family.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + GRACE.toNanos();
        for (ProcessHandle p : family) {
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            try {
                p.onExit().get(left, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
    }

    @Override
    public void close() {
        stopAll();
    }
}
