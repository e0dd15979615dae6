package qp.bench.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How the demo starts each component: the broker and the gateways from this JVM's own class path (qp-bench holds
 * them), the job and the agent from the class paths bin/qp resolved once before the demo started (env
 * {@code QP_DEMO_JOB_CP}, {@code QP_DEMO_AGENT_CP}), so that nothing is built or resolved while the demo runs.
 * Without {@code QP_DEMO_JOB_CP} the job runs from this class path when it is there.
 */
final class Components {
    private final Path qpHome;
    private final String jobClassPath;
    private final String agentClassPath;

    Components(Path qpHome, java.util.Map<String, String> env) {
        this.qpHome = qpHome;
        this.jobClassPath = blankToNull(env.get("QP_DEMO_JOB_CP"));
        this.agentClassPath = blankToNull(env.get("QP_DEMO_AGENT_CP"));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    static List<String> java(List<String> jvm, String classPath, String main, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvm);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(main);
        cmd.addAll(args);
        return cmd;
    }

    static List<String> java(List<String> jvm, String main, List<String> args) {
        return java(jvm, System.getProperty("java.class.path"), main, args);
    }

    List<String> broker(List<String> topics) {
        return java(List.of("-Xmx384m", "-Xms64m"), "qp.bench.broker.BenchBrokerMain", topics);
    }

    List<String> gateway(List<String> args) {
        return java(List.of("-Xmx256m", "-Xms64m"), "qp.gateway.GatewayMain", args);
    }

    boolean hasJob() {
        return jobClassPath != null || onClassPath("qp.job.JobMain");
    }

    /** The job in local mode with its web UI. */
    List<String> job(List<String> args) {
        List<String> a = new ArrayList<>(List.of("--local"));
        a.addAll(args);
        return java(List.of("-Xmx1g"), jobClassPath != null ? jobClassPath : System.getProperty("java.class.path"),
                "qp.job.JobMain", a);
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

    /** True when bin/qp has an {@code agent} command and gave the demo the agent's class path. */
    boolean hasAgent() {
        if (qpHome == null || agentClassPath == null) {
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
        return java(List.of("-Xmx384m"), agentClassPath, "qp.agent.AgentMain", args);
    }

    /** The agent's {@code --help} text (to see which options this build has), or "" on failure. */
    String agentHelp() {
        if (agentClassPath == null) {
            return "";
        }
        try {
            Process p = new ProcessBuilder(agent(List.of("--help"))).redirectErrorStream(true).start();
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
