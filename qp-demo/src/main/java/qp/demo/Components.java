package qp.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the demo starts each component: the broker and the gateways from this JVM's own class path (qp-bench holds
 * them), the job and the agent from the class paths bin/qp resolved once before the demo started (env
 * {@code QP_DEMO_JOB_CP}, {@code QP_DEMO_AGENT_CP}), so that nothing is built or resolved while the demo runs. Without
 * them (the suite's demo test, whose class path holds the job and the agent) this JVM's class path is used.
 */
final class Components {
    private final Path qpHome;
    private final String jobClassPath;
    private final String agentClassPath;

    Components(Path qpHome, Map<String, String> env) {
        this.qpHome = qpHome;
        this.jobClassPath = classPath(env.get("QP_DEMO_JOB_CP"));
        this.agentClassPath = classPath(env.get("QP_DEMO_AGENT_CP"));
    }

    private static String classPath(String fromEnv) {
        return fromEnv == null || fromEnv.isBlank() ? System.getProperty("java.class.path") : fromEnv;
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

    /** The job in local mode with its web UI, logging as {@code bin/qp job} does (config/job-log4j2.properties). */
    List<String> job(List<String> args) {
        List<String> jvm = new ArrayList<>(List.of("-Xmx1g"));
        if (qpHome != null && Files.isRegularFile(qpHome.resolve("config/job-log4j2.properties"))) {
            jvm.add("-Dlog4j2.configurationFile=" + qpHome.resolve("config/job-log4j2.properties").toAbsolutePath());
        }
        List<String> a = new ArrayList<>(List.of("--local"));
        a.addAll(args);
        return java(jvm, jobClassPath, "qp.job.JobMain", a);
    }

    List<String> agent(List<String> args) {
        return java(List.of("-Xmx384m"), agentClassPath, "qp.agent.AgentMain", args);
    }
}
