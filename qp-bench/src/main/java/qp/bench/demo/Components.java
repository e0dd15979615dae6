package qp.bench.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How the demo starts each component. The broker and the gateways run from this JVM's own class path (qp-bench holds
 * them). The job and the agent run through {@code bin/qp job|agent} when the demo knows QP's home (so bin/qp builds
 * and resolves their class paths); without it (tests) the job runs from this class path when it is there.
 */
final class Components {
    private final Path qpHome;

    Components(Path qpHome) {
        this.qpHome = qpHome;
    }

    static List<String> java(List<String> jvm, String main, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvm);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main);
        cmd.addAll(args);
        return cmd;
    }

    List<String> broker(List<String> topics) {
        return java(List.of("-Xmx384m", "-Xms64m"), "qp.bench.broker.BenchBrokerMain", topics);
    }

    List<String> gateway(List<String> args) {
        return java(List.of("-Xmx256m", "-Xms64m"), "qp.gateway.GatewayMain", args);
    }

    boolean hasJob() {
        return qpHome != null || onClassPath("qp.job.JobMain");
    }

    /** The job in local mode with its web UI; heap through QP_JAVA_OPTS when it runs through bin/qp. */
    List<String> job(List<String> args) {
        if (qpHome != null) {
            List<String> cmd = new ArrayList<>(List.of(qpHome.resolve("bin/qp").toString(), "job"));
            cmd.addAll(args);
            return cmd;
        }
        List<String> a = new ArrayList<>(List.of("--local"));
        a.addAll(args);
        return java(List.of("-Xmx1g"), "qp.job.JobMain", a);
    }

    /** True when this build's job declares the option (docs/job-options.md is generated from the declarations). */
    boolean jobHasOption(String option) {
        if (qpHome == null) {
            return false;
        }
        try {
            return Files.readString(qpHome.resolve("docs/job-options.md"), StandardCharsets.UTF_8).contains("`" + option + "`");
        } catch (IOException e) {
            return false;
        }
    }

    /** True when bin/qp has an {@code agent} command (the agent is built in this checkout). */
    boolean hasAgent() {
        if (qpHome == null) {
            return false;
        }
        try {
            return java.util.regex.Pattern.compile("^\\s*agent\\)", java.util.regex.Pattern.MULTILINE)
                    .matcher(Files.readString(qpHome.resolve("bin/qp"), StandardCharsets.UTF_8)).find();
        } catch (IOException e) {
            return false;
        }
    }

    List<String> agent(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(qpHome.resolve("bin/qp").toString(), "agent"));
        cmd.addAll(args);
        return cmd;
    }

    /** The {@code --help} text of a bin/qp component (to see which options this build has), or "" on failure. */
    String help(String component) {
        if (qpHome == null) {
            return "";
        }
        try {
            Process p = new ProcessBuilder(qpHome.resolve("bin/qp").toString(), component, "--help").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(120, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static boolean onClassPath(String className) {
        try {
            Class.forName(className, false, Components.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
