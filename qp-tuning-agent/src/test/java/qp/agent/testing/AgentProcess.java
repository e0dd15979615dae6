package qp.agent.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import qp.agent.AgentMain;

/**
 * The agent as a process of its own ({@code java -cp <this test class path> qp.agent.AgentMain}, what bin/qp agent
 * runs). Its output goes to a file, not a pipe: a thread reading the pipe lost the last lines when the process ended
 * ("Stream closed" as the JDK's reaper drained it). {@link #kill()} is SIGKILL: no shutdown hook, no close of the
 * store. {@link #close()} kills whatever is still running, so that no agent outlives its test.
 */
public final class AgentProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private AgentProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code AgentMain} with {@code args}, its output into {@code log}; {@code crashPoint} (null: none) arms
     * the agent's test hook (qp.agent.experiments.CrashPoint), at which it prints a line and parks until killed.
     */
    public static AgentProcess start(String name, String crashPoint, List<String> args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                // the agent's own logging, as bin/qp runs it (the test class path also holds qp-test-support's
                // log4j2-test.xml, whose shutdown hook stops logging before the agent's hook has closed it)
                "-Dlog4j2.configurationFile=log4j2.xml"));
        if (crashPoint != null) {
            cmd.add("-Dqp.agent.crashPoint=" + crashPoint);
        }
        cmd.add(AgentMain.class.getName());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("QP_ADMIN_TOKEN"); // the dashboard's token only from the test's own file
        return new AgentProcess(name, pb.start(), log);
    }

    public List<String> lines() {
        try {
            return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the first output line that matches, failing at once when the process ends first. */
    public String awaitLine(Predicate<String> p, Duration atMost) {
        Awaitility.await(name + " prints the expected line").atMost(atMost).pollInterval(Duration.ofMillis(50))
                .until(() -> lines().stream().anyMatch(p) || !process.isAlive());
        Optional<String> line = lines().stream().filter(p).findFirst();
        assertThat(line).as(name + " ended (exit " + (process.isAlive() ? "-" : process.exitValue())
                + ") without the expected line; its output (" + log + "):\n" + String.join("\n", lines())).isPresent();
        return line.get();
    }

    /** The marker line of the agent's crash point, with the experiment it stopped at. */
    public String awaitCrashPoint(String point, String experimentId) {
        String marker = "qp-agent: at crash point " + point + " " + experimentId;
        return awaitLine(marker::equals, Duration.ofMinutes(2));
    }

    /** SIGKILL (Process.destroyForcibly on Linux), and the exit code of a killed process: 128 + 9. */
    public int kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(name + " ends after SIGKILL").isTrue();
        return process.exitValue();
    }

    /** SIGTERM, and the agent's shutdown hook closed it: exit 128 + 15 after its last line. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError(name + " did not end within 90 s of SIGTERM; killed");
        }
        assertThat(process.exitValue()).as(name + "'s exit code after SIGTERM").isEqualTo(128 + 15);
        assertThat(lines()).as(name + " closed its store and clients").anyMatch(l -> l.endsWith("agent stopped"));
    }

    /** Kills the process if it still runs, and copies its output to the test's output. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(60, TimeUnit.SECONDS);
        }
        lines().forEach(l -> System.out.println(name + "> " + l));
    }
}
