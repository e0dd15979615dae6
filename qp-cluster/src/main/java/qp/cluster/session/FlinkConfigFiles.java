package qp.cluster.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes the cluster's {@code config.yaml} and {@code log4j.properties} into {@code <state-dir>/conf}. */
public final class FlinkConfigFiles {
    private FlinkConfigFiles() {
    }

    /** Flink's settings for this cluster; {@code -D} settings given to start override them. */
    public static Map<String, String> settings(ClusterSettings s) {
        ClusterLayout l = s.layout();
        Map<String, String> c = new LinkedHashMap<>();
        c.put("jobmanager.rpc.address", "localhost");
        c.put("jobmanager.rpc.port", String.valueOf(s.rpcPort()));
        c.put("jobmanager.bind-host", "localhost");
        c.put("jobmanager.memory.process.size", s.jobManagerMemory());
        c.put("taskmanager.host", "localhost");
        c.put("taskmanager.bind-host", "localhost");
        c.put("taskmanager.rpc.port", String.valueOf(s.taskManagerRpcPort()));
        c.put("taskmanager.data.port", String.valueOf(s.taskManagerDataPort()));
        c.put("taskmanager.numberOfTaskSlots", String.valueOf(s.slots()));
        c.put("taskmanager.memory.process.size", s.taskManagerMemory());
        c.put("blob.server.port", String.valueOf(s.blobPort()));
        c.put("rest.address", "localhost");
        c.put("rest.bind-address", "localhost");
        c.put("rest.port", String.valueOf(s.webUiPort()));
        c.put("parallelism.default", "1");
        // Flink's 10 s for an RPC call fails on a busy machine (JvmCommand raises the RPC system's start-up timeout).
        c.put("pekko.ask.timeout", "1 min");
        // Without checkpoint storage Flink keeps checkpoints in the JobManager's memory (5 MB per state handle),
        // which QP's job outgrows within a minute under load.
        c.put("execution.checkpointing.dir", s.checkpointDir());
        c.put("execution.checkpointing.savepoint-dir", s.savepointDir());
        c.put("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        // A job's main() runs inside the JobManager for a REST submission: its System.exit must not end the JobManager.
        c.put("cluster.intercept-user-system-exit", "THROW");
        c.put("io.tmp.dirs", l.tmp().toString());
        c.put("web.tmpdir", l.tmp().toString());
        c.put("web.upload.dir", l.tmp().resolve("uploads").toString());
        c.putAll(s.flinkSettings());
        return c;
    }

    public static void write(ClusterSettings s) throws IOException {
        ClusterLayout l = s.layout();
        Files.createDirectories(l.confDir());
        Files.createDirectories(l.logDir());
        Files.createDirectories(l.tmp().resolve("uploads"));
        StringBuilder yaml = new StringBuilder("# Written by bin/qp cluster start; edits are overwritten on the next start.\n");
        settings(s).forEach((k, v) -> yaml.append(k).append(": '").append(v.replace("'", "''")).append("'\n"));
        Files.writeString(l.confDir().resolve("config.yaml"), yaml, StandardCharsets.UTF_8);
        Files.writeString(log4jFile(l), LOG4J, StandardCharsets.UTF_8);
    }

    public static Path log4jFile(ClusterLayout l) {
        return l.confDir().resolve("log4j.properties");
    }

    /** Like a distribution's conf/log4j.properties: INFO to a file that rolls at 100 MB, the Kafka client at WARN. */
    private static final String LOG4J = """
            monitorInterval = 30
            rootLogger.level = INFO
            rootLogger.appenderRef.file.ref = MainAppender
            logger.kafka.name = org.apache.kafka
            logger.kafka.level = WARN
            logger.pekko.name = org.apache.pekko
            logger.pekko.level = INFO
            logger.netty.name = org.jboss.netty.channel.DefaultChannelPipeline
            logger.netty.level = OFF
            appender.main.name = MainAppender
            appender.main.type = RollingFile
            appender.main.append = true
            appender.main.fileName = ${sys:log.file}
            appender.main.filePattern = ${sys:log.file}.%i
            appender.main.layout.type = PatternLayout
            appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
            appender.main.policies.type = Policies
            appender.main.policies.size.type = SizeBasedTriggeringPolicy
            appender.main.policies.size.size = 100MB
            appender.main.policies.startup.type = OnStartupTriggeringPolicy
            appender.main.strategy.type = DefaultRolloverStrategy
            appender.main.strategy.max = 5
            """;
}
