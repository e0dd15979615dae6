package qp.gateway;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import qp.gateway.events.EventFormat;
import qp.gateway.events.KafkaEmitterConfig;
import qp.gateway.events.KafkaEventEmitter;

/** Runs a gateway until SIGTERM / Ctrl-C, then shuts it down gracefully. Tokens come from the environment or files, never the command line. */
@Command(name = "qp-gateway", mixinStandardHelpOptions = true, sortOptions = false,
        description = "QP edge gateway: QP over WebSocket on /qp, admin API, frame events to Kafka.",
        footer = {"", "Tokens: the client token from env QP_TOKEN or --token-file; the admin token from env "
                + "QP_ADMIN_TOKEN or --admin-token-file. Without either the gateway exits with code 2."})
public final class GatewayMain implements Callable<Integer> {
    static final int EXIT_CONFIG = 2;

    @Option(names = "--port", defaultValue = "9999", description = "QP WebSocket port (0 = any free port). Default: ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--admin-port", defaultValue = "9998", description = "admin HTTP port (0 = any free port). Default: ${DEFAULT-VALUE}")
    int adminPort;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "interface to listen on. Default: ${DEFAULT-VALUE}")
    String host;

    @Option(names = "--node-id", description = "this node's name in events. Default: the host name")
    String nodeId;

    @Option(names = "--kafka", defaultValue = "localhost:9092", description = "Kafka bootstrap servers. Default: ${DEFAULT-VALUE}")
    String kafka;

    @Option(names = "--spool-dir", description = "on-disk spool for events while Kafka is away. Default: ./qp-spool/<node-id>")
    Path spoolDir;

    @Option(names = "--event-encoding", defaultValue = "binary", paramLabel = "binary|json",
            description = "how qp.frames and qp.node-metrics values are written: binary (docs/EVENT-ENCODING.md), or json "
                    + "while readers from before it still run (upgrade the job and the agent first). Default: ${DEFAULT-VALUE}")
    String eventEncoding;

    @Option(names = "--state-dir", description = "where parameters changed through the admin API, and the running "
            + "experiment, are kept across restarts. Default: ./qp-state/<node-id>")
    Path stateDir;

    @Option(names = "--advertised-admin-url", description = "the admin API's URL as the agent and operators reach it, "
            + "carried in qp.node-metrics. Default: none")
    String advertisedAdminUrl;

    @Option(names = "--config", description = "config file, JSON or properties: params, routes, topics, auth.required")
    Path configFile;

    @Option(names = "--token-file", description = "file holding the client token (else env QP_TOKEN)")
    Path tokenFile;

    @Option(names = "--admin-token-file", description = "file holding the admin token (else env QP_ADMIN_TOKEN)")
    Path adminTokenFile;

    @Option(names = "--tls-keystore", description = "PKCS12 key store with the server certificate: the QP listener speaks wss:// "
            + "(its password from env QP_TLS_PASSWORD). Default: plain ws://")
    Path tlsKeyStore;

    private final Function<String, String> env;
    private final boolean block;
    private volatile GatewayServer server;

    public GatewayMain() {
        this(System::getenv, true);
    }

    /** For tests: another environment, and {@code block=false} to return once the gateway runs. */
    GatewayMain(Function<String, String> env, boolean block) {
        this.env = env;
        this.block = block;
    }

    public static void main(String[] args) {
        int code = new CommandLine(new GatewayMain()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = new PrintWriter(System.err, true);
        String clientToken;
        String adminToken;
        ConfigFile file;
        try {
            clientToken = token("client", "QP_TOKEN", tokenFile, "--token-file");
            adminToken = token("admin", "QP_ADMIN_TOKEN", adminTokenFile, "--admin-token-file");
            file = configFile == null ? ConfigFile.defaults() : ConfigFile.load(configFile);
        } catch (IllegalArgumentException | IOException e) {
            err.println("qp-gateway: " + e.getMessage());
            return EXIT_CONFIG;
        }
        javax.net.ssl.SSLContext tls;
        try {
            tls = tlsKeyStore == null ? null : Tls.serverContext(tlsKeyStore, env.apply("QP_TLS_PASSWORD"));
        } catch (IllegalArgumentException | IOException | java.security.GeneralSecurityException e) {
            err.println("qp-gateway: " + e.getMessage());
            return EXIT_CONFIG;
        }
        String node = nodeId != null ? nodeId : InetAddress.getLocalHost().getHostName();
        GatewayConfig config;
        try {
            config = file.applyTo(GatewayConfig.builder()).host(host).port(port).adminHost(host).adminPort(adminPort)
                    .nodeId(node).clientToken(clientToken).adminToken(adminToken).tls(tls)
                    .stateDir(stateDir != null ? stateDir : Path.of("qp-state", node))
                    .advertisedAdminUrl(advertisedAdminUrl).build();
        } catch (IllegalArgumentException e) {
            err.println("qp-gateway: " + e.getMessage());
            return EXIT_CONFIG;
        }
        EventFormat format;
        switch (eventEncoding) {
            case "binary" -> format = EventFormat.BINARY;
            case "json" -> format = EventFormat.JSON;
            default -> {
                err.println("qp-gateway: --event-encoding " + eventEncoding + ": use binary or json");
                return EXIT_CONFIG;
            }
        }
        Path spool = spoolDir != null ? spoolDir : Path.of("qp-spool", node);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        KafkaEventEmitter emitter = new KafkaEventEmitter(new KafkaEmitterConfig(kafka, file.framesTopic(),
                file.nodeMetricsTopic(), spool, file.spoolMaxBytes(), file.queueCapacity()).withEventFormat(format), registry,
                config.clock());
        try {
            server = GatewayServer.start(config, emitter, registry);
        } catch (IllegalArgumentException e) {
            emitter.close();
            err.println("qp-gateway: " + e.getMessage());
            return EXIT_CONFIG;
        } catch (IllegalStateException e) {
            emitter.close();
            err.println("qp-gateway: " + e.getMessage());
            return 1;
        }
        // log4j's own shutdown hook is off (log4j2.xml), so the shutdown's log lines still get out
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "qp-shutdown"));
        if (block) {
            new CountDownLatch(1).await(); // until the shutdown hook runs
        }
        return 0;
    }

    GatewayServer server() {
        return server;
    }

    private String token(String which, String envName, Path file, String option) throws IOException {
        if (file != null) {
            String t = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (t.isEmpty()) {
                throw new IllegalArgumentException(option + " " + file + " is empty");
            }
            return t;
        }
        String t = env.apply(envName);
        if (t == null || t.isBlank()) {
            throw new IllegalArgumentException("no " + which + " token: set env " + envName + " or pass " + option
                    + " FILE (tokens are never taken from the command line)");
        }
        return t.strip();
    }
}
