package qp.agent.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import qp.agent.replay.GatewayReplayer;
import qp.agent.replay.KafkaReplayer;
import qp.agent.replay.Speed;
import qp.agent.topics.TopicValues;

@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Plays an export file back: into Kafka (--to kafka, e.g. for training, with --rebase-time to "
                + "move it to now), or as real QP traffic against a gateway (--to ws://HOST:PORT/qp): the IN frames "
                + "of each recorded connection, with their original gaps divided by --speed.",
                "Against a gateway, AUTH sends the client token (--token-file or env QP_TOKEN); payloads are rebuilt "
                + "from the recorded types, ops and sizes."})
final class ReplayCommand implements Callable<Integer> {
    @ParentCommand
    QpCli cli;

    @Parameters(index = "0", paramLabel = "FILE", description = "the export file (.jsonl or .jsonl.gz)")
    Path file;

    @Option(names = "--to", defaultValue = "kafka", paramLabel = "kafka|ws://HOST:PORT/qp",
            description = "where to: kafka or a gateway's QP URL. Default: ${DEFAULT-VALUE}")
    String to;

    @Option(names = "--speed", defaultValue = "1", paramLabel = "1|10|max",
            description = "divide the original gaps by this; max sends without waiting. Default: ${DEFAULT-VALUE}")
    String speed;

    @Option(names = "--rebase-time", description = "Kafka: move timestamps (and the time fields in the values) so "
            + "that the first record is now")
    boolean rebaseTime;

    @Option(names = "--kafka", defaultValue = "localhost:${env:QP_KAFKA_PORT:-9092}", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (--to kafka). Default: ${DEFAULT-VALUE}")
    String kafka;

    @Option(names = "--topic-prefix", defaultValue = "", paramLabel = "PREFIX",
            description = "Kafka: put this before every topic name (replay beside the live topics)")
    String topicPrefix;

    @Option(names = "--frames-topic", defaultValue = "qp.frames", paramLabel = "TOPIC",
            description = "the file's topic of frame events (Kafka: written in the binary encoding, as gateways "
                    + "write them). Default: ${DEFAULT-VALUE}")
    String framesTopic;

    @Option(names = "--node-metrics-topic", defaultValue = "qp.node-metrics", paramLabel = "TOPIC",
            description = "Kafka: the file's topic of node samples (written in the binary encoding). Default: ${DEFAULT-VALUE}")
    String nodeMetricsTopic;

    @Option(names = "--token-file", paramLabel = "FILE", description = "gateway: file with the client token "
            + "(else env QP_TOKEN)")
    Path tokenFile;

    @Option(names = "--timeout", defaultValue = "10s", paramLabel = "DURATION",
            description = "how long to wait for the broker, or for the gateway's last replies (a reply starts the wait again). Default: ${DEFAULT-VALUE}")
    String timeout;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Speed pace;
        try {
            pace = Speed.parse(speed);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), QpCli.EXIT_USAGE);
        }
        Duration wait = TimeArg.duration("--timeout", timeout);
        if (!Files.isRegularFile(file)) {
            throw new CliException(file + ": no such export file (write one with bin/qp export --out FILE)");
        }
        if ("kafka".equals(to)) {
            KafkaReplayer.Summary s = new KafkaReplayer(cli.clock, new TopicValues(framesTopic, nodeMetricsTopic)).replay(file,
                    new KafkaReplayer.Options(kafka, topicPrefix, pace, rebaseTime, wait),
                    n -> cli.err.println("qp replay: " + n + " records sent so far ..."));
            cli.out.printf("replayed %d records into Kafka at %s at speed %s %s%s%n", s.sent(), kafka, pace, s.perTopic(),
                    s.rebasedByMillis() == 0 ? "" : "; timestamps moved by " + s.rebasedByMillis() / 1000 + " s");
            return QpCli.EXIT_OK;
        }
        URI target = gatewayUri();
        if (rebaseTime) {
            throw new CliException("--rebase-time is for --to kafka; a gateway stamps the replayed frames itself",
                    QpCli.EXIT_USAGE);
        }
        GatewayReplayer.Summary s = new GatewayReplayer(cli.clock).replay(file,
                new GatewayReplayer.Options(target, token(), pace, wait, framesTopic),
                n -> cli.err.println("qp replay: " + n + " frames sent so far ..."));
        cli.out.printf("replayed %d frames on %d connections to %s at speed %s%n", s.sent(), s.connections(), target,
                pace);
        cli.out.printf("  sent    %s%n  replies %s%n", s.sentByType(), s.repliesByType());
        if (s.notSent() > 0) {
            cli.out.printf("  %d frames not sent: the gateway had closed their connection%n", s.notSent());
        }
        if (!s.closesByCode().isEmpty()) {
            cli.out.printf("  connections closed by the gateway, by code: %s%n", s.closesByCode());
        }
        return QpCli.EXIT_OK;
    }

    private URI gatewayUri() {
        if (!to.startsWith("ws://") && !to.startsWith("wss://")) {
            throw new CliException("--to: '" + to + "' is neither kafka nor a ws://HOST:PORT/qp URL", QpCli.EXIT_USAGE);
        }
        try {
            URI u = URI.create(to);
            if (u.getHost() == null) {
                throw new IllegalArgumentException("no host");
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new CliException("--to: '" + to + "' is not a URL (" + e.getMessage() + ")", QpCli.EXIT_USAGE);
        }
    }

    private String token() {
        if (tokenFile != null) {
            try {
                return Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new CliException("--token-file: cannot read " + tokenFile + " (" + e.getMessage() + ")");
            }
        }
        String t = cli.env.apply("QP_TOKEN");
        if (t == null || t.isBlank()) {
            throw new CliException("a gateway needs the client token: pass --token-file FILE or set QP_TOKEN",
                    QpCli.EXIT_USAGE);
        }
        return t.strip();
    }
}
