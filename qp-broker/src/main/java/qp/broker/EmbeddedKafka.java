package qp.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node KRaft Kafka broker in this JVM, for tests. {@link #shared()} gives one per JVM (started on
 * first use, stopped at exit); {@link #startNew()} gives a private one for tests that stop and restart the broker.
 * {@link #stop()} then {@link #restart()} keeps the data and the port, as a broker that went away and came back.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static EmbeddedKafka shared;

    private final Path logDir;
    private final int port;
    private final int controllerPort;
    /** the port the broker tells clients to connect to: its own, or a proxy's in front of it */
    private final int advertisedPort;
    private KafkaRaftServer server;

    private EmbeddedKafka(Path logDir, int port, int controllerPort, int advertisedPort) {
        this.logDir = logDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.advertisedPort = advertisedPort;
    }

    /** The broker shared by every test in this JVM. */
    public static synchronized EmbeddedKafka shared() {
        if (shared == null) {
            shared = startNew();
            EmbeddedKafka s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::close, "embedded-kafka-shutdown"));
        }
        return shared;
    }

    /** A new broker of its own on free loopback ports, with a fresh temporary log dir. */
    public static EmbeddedKafka startNew() {
        return startNew(0);
    }

    /**
     * A new broker of its own that tells clients to connect to {@code advertisedPort} on loopback: a test's proxy
     * there, which relays to {@link #port()}, then sees every client connection (0: the broker's own port).
     */
    public static EmbeddedKafka startNew(int advertisedPort) {
        try {
            Path dir = Files.createTempDirectory("qp-kafka-");
            int port = FreePorts.pick();
            EmbeddedKafka k = new EmbeddedKafka(dir, port, FreePorts.pick(), advertisedPort == 0 ? port : advertisedPort);
            k.format();
            k.restart();
            return k;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public int port() {
        return port;
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Starts the broker (again) on the same ports with the same data. */
    public synchronized void restart() {
        if (server != null) {
            return;
        }
        KafkaRaftServer s = new KafkaRaftServer(new KafkaConfig(properties(), false), Time.SYSTEM);
        s.startup();
        server = s;
    }

    /** Stops the broker, keeping its data for {@link #restart()}. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
    }

    /** Stops the broker and deletes its data. */
    @Override
    public synchronized void close() {
        stop();
        deleteRecursively(logDir);
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }

    /** Creates the topics (one partition each unless given as name:partitions) if they do not exist yet. */
    public void createTopics(String... topics) {
        Topics.create(bootstrapServers(), topics);
    }

    public Set<String> topics() {
        try (Admin admin = admin()) {
            return admin.listTopics().names().get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private void format() throws IOException {
        Path config = logDir.resolve("format.properties");
        Properties p = properties();
        try (var out = Files.newOutputStream(config)) {
            p.store(out, "QP embedded broker");
        }
        int rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c",
                config.toString(), "--standalone", "--ignore-formatted"}, System.out);
        if (rc != 0) {
            throw new IllegalStateException("kafka storage format failed with exit code " + rc + " for " + logDir);
        }
    }

    private Properties properties() {
        Properties p = BrokerConfig.properties(port, controllerPort, logDir.resolve("data"));
        // a broker behind a relay (startNew(advertisedPort)) tells its clients the relay's port
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + advertisedPort);
        // Tests write events with fixed event times years in the past; time-based retention deleted them at the
        // broker's retention check (30 s after start, then every 5 min) while a test was still reading them.
        p.put("log.retention.ms", "-1");
        return p;
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }

    /** Waits at most {@code timeout} for the broker to answer metadata requests. */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            // Kafka refuses an api timeout below the request timeout, so both are set.
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000))) {
                admin.describeCluster().nodes().get();
                return;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("broker at " + bootstrapServers() + " not ready in " + timeout, e);
                }
            }
        }
    }
}
