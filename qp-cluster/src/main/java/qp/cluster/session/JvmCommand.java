package qp.cluster.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The command line of a Flink JVM, as Flink's {@code jobmanager.sh}/{@code taskmanager.sh} build it: the heap flags and
 * {@code -D} memory settings that {@code BashJavaUtils} computes from the config, the JVM options of
 * {@code env.java.default-opts.all}, the log settings, the class path and the entry point with {@code --configDir}.
 */
public final class JvmCommand {
    /**
     * Flink 2.2's {@code env.java.default-opts.all} (its conf/config.yaml). Without these opens, a job submitted on
     * Java 17 fails in ExecutionEnvironmentImpl.
     */
    static final List<String> FLINK_DEFAULT_JVM_OPTIONS = List.of("-XX:+IgnoreUnrecognizedVMOptions",
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED", "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    /**
     * Pekko's remoting gives up when it has not started within pekko.remote.classic.startup-timeout (10 s); Flink's own
     * pekko.startup-timeout sets pekko.remote.startup-timeout, which classic remoting does not read. On this 2-core
     * machine under load (load average 40 to 80) both the JobManager and the TaskManager failed at start with
     * "Could not create actor system ... Futures timed out after [10000 milliseconds]". A system property reaches
     * Pekko's reference configuration.
     */
    static final String REMOTING_STARTUP_TIMEOUT = "-Dpekko.remote.classic.startup-timeout=120s";

    private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";

    private JvmCommand() {
    }

    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static List<String> of(FlinkProcess process, ClusterLayout layout, String classpath, ResourceParams params) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.addAll(params.jvmArgs());
        cmd.addAll(FLINK_DEFAULT_JVM_OPTIONS);
        cmd.add(REMOTING_STARTUP_TIMEOUT);
        cmd.add("-Dlog.file=" + layout.logFile(process));
        cmd.add("-Dlog4j.configurationFile=" + FlinkConfigFiles.log4jFile(layout).toUri());
        cmd.add("-Djava.io.tmpdir=" + layout.tmp());
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(process.mainClass());
        cmd.add("--configDir");
        cmd.add(layout.confDir().toString());
        cmd.addAll(params.dynamicSettings());
        return cmd;
    }

    /** Heap flags and {@code -D key=value} memory settings of one process. */
    public record ResourceParams(List<String> jvmArgs, List<String> dynamicSettings) {
        /** Runs {@code BashJavaUtils} on the written config, as Flink's scripts do. */
        public static ResourceParams compute(FlinkProcess process, ClusterLayout layout, String classpath)
                throws IOException, InterruptedException {
            Process p = new ProcessBuilder(java(), "-cp", classpath,
                    "-Dlog4j.configurationFile=" + FlinkConfigFiles.log4jFile(layout).toUri(),
                    "-Dlog.file=" + layout.logDir().resolve("bash-java-utils.log"),
                    "org.apache.flink.runtime.util.bash.BashJavaUtils", process.resourceCommand(),
                    "--configDir", layout.confDir().toString()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("Flink could not compute the " + process.fileName()
                        + " memory settings from " + layout.confDir().resolve("config.yaml") + ":\n" + tail(out));
            }
            List<String> results = out.lines().filter(l -> l.startsWith(RESULT_PREFIX))
                    .map(l -> l.substring(RESULT_PREFIX.length()).strip()).toList();
            if (results.size() < 2) {
                throw new IllegalStateException("unexpected BashJavaUtils output for " + process.fileName() + ":\n" + tail(out));
            }
            return new ResourceParams(words(results.get(results.size() - 2)), words(results.get(results.size() - 1)));
        }

        private static List<String> words(String line) {
            return line.isEmpty() ? List.of() : List.of(line.split("\\s+"));
        }

        private static String tail(String text) {
            List<String> lines = text.lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        }
    }
}
