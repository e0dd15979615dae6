package qp.bench.gateway;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import qp.gateway.ConfigFile;
import qp.gateway.GatewayConfig;
import qp.gateway.GatewayServer;
import qp.gateway.events.EmitterStats;
import qp.gateway.events.EventEmitter;
import qp.gateway.events.KafkaEmitterConfig;
import qp.gateway.events.KafkaEventEmitter;

/**
 * The real gateway as the benchmark runs it: {@link GatewayServer} with its {@link KafkaEventEmitter} (GatewayMain's
 * queue and spool defaults), every frame event going to the given broker; or, with {@code --no-events}, with the
 * events discarded. Tokens come from QP_TOKEN and QP_ADMIN_TOKEN. Prints {@code listening} when up and the emitter's
 * counters when it stops (SIGTERM), so the benchmark can show the events reached Kafka.
 */
@Command(name = "gateway-target", mixinStandardHelpOptions = true,
        description = "Runs the QP gateway with frame events to Kafka, for the gateway benchmark.")
public final class GatewayTargetMain implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "9999", description = "QP port (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--admin-port", defaultValue = "0", description = "Admin port, 0 = free port (default ${DEFAULT-VALUE}).")
    int adminPort;

    @Option(names = "--bootstrap", description = "Kafka bootstrap servers, e.g. localhost:9092 (required unless --no-events).")
    String bootstrap;

    @Option(names = "--no-events", description = "Discard frame events instead of sending them (shows what the event pipeline costs).")
    boolean noEvents;

    @Option(names = "--io-threads", defaultValue = "0", description = "QP I/O threads, 0 = the gateway's default (default ${DEFAULT-VALUE}).")
    int ioThreads;

    @Option(names = "--spool-dir", description = "Emitter spool directory (default: a temporary directory).")
    Path spoolDir;

    @Option(names = "--producer", split = ",",
            description = "Kafka producer properties over the emitter's defaults, e.g. compression.type=none,linger.ms=50.")
    java.util.Map<String, String> producerOverrides = new java.util.LinkedHashMap<>();

    @Option(names = "--experiment", description = "Start an experiment at once, as the agent's POST /experiment would, "
            + "e.g. {\"id\":\"bench\",\"parameter\":\"buffer_size\",\"treatment\":16384,\"treatmentShare\":0.5} "
            + "(shows what randomized arms cost on the hot path).")
    String experiment;

    @Override
    public Integer call() throws Exception {
        if (!noEvents && bootstrap == null) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--bootstrap is required unless --no-events");
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        EventEmitter emitter = noEvents ? new DiscardingEmitter() : kafkaEmitter(registry);
        GatewayConfig.Builder config = GatewayConfig.builder().host("127.0.0.1").port(port)
                .adminHost("127.0.0.1").adminPort(adminPort).nodeId("bench-gw")
                .clientToken(System.getenv("QP_TOKEN")).adminToken(System.getenv("QP_ADMIN_TOKEN"));
        if (ioThreads > 0) {
            config.ioThreads(ioThreads);
        }
        GatewayServer gateway = GatewayServer.start(config.build(), emitter, registry);
        if (experiment != null) {
            gateway.experiments().start(qp.gateway.experiments.ExperimentRequest.parse(
                    qp.protocol.json.QpJson.tree(experiment.getBytes(java.nio.charset.StandardCharsets.UTF_8))), -1);
            System.out.println("experiment " + gateway.params().current().experiment());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close(); // closes the emitter last, after flushing
            EmitterStats s = emitter.stats();
            System.out.println("emitter sent=" + s.sent() + " dropped=" + s.dropped() + " spooled=" + s.spooled()
                    + " queued=" + s.queueDepth() + " kafkaUp=" + s.kafkaUp() + (noEvents ? " (discarded)" : ""));
            System.out.flush();
        }, "gateway-target-stop"));
        System.out.println("listening " + gateway.uri());
        System.out.flush();
        new CountDownLatch(1).await();
        return 0;
    }

    private KafkaEventEmitter kafkaEmitter(PrometheusMeterRegistry registry) throws IOException {
        Path spool = spoolDir != null ? spoolDir : Files.createTempDirectory("qp-bench-spool-");
        KafkaEmitterConfig config = new KafkaEmitterConfig(bootstrap, "qp.frames", "qp.node-metrics", spool,
                ConfigFile.DEFAULT_SPOOL_MAX_BYTES, ConfigFile.DEFAULT_QUEUE_CAPACITY);
        return new KafkaEventEmitter(config.withProducerOverrides(java.util.Map.copyOf(producerOverrides)), registry);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new GatewayTargetMain()).execute(args));
    }
}
