package qp.agent.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import qp.agent.replay.TopicExporter;
import qp.agent.topics.TopicValues;

@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Copies records from Kafka to a file in QP's export format (JSON Lines, one record a line; "
                + "gzip when the name ends in .gz): what replay and train read. Frame events and node samples are written "
                + "as JSON whether the topic holds them in the binary encoding or in JSON.",
                "Every partition from --since up to its end as it was when the export started (read_committed)."})
final class ExportCommand implements Callable<Integer> {
    @ParentCommand
    QpCli cli;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the export file to write")
    Path out;

    @Option(names = "--kafka", defaultValue = "localhost:${env:QP_KAFKA_PORT:-9092}", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers. Default: ${DEFAULT-VALUE}")
    String kafka;

    @Option(names = "--topics", split = ",", defaultValue = "qp.frames,qp.node-metrics", paramLabel = "TOPIC",
            description = "topics to export, comma-separated. Default: ${DEFAULT-VALUE}")
    List<String> topics;

    @Option(names = "--frames-topic", defaultValue = "qp.frames", paramLabel = "TOPIC",
            description = "the topic of frame events (binary ones are written as JSON). Default: ${DEFAULT-VALUE}")
    String framesTopic;

    @Option(names = "--node-metrics-topic", defaultValue = "qp.node-metrics", paramLabel = "TOPIC",
            description = "the topic of node samples (binary ones are written as JSON). Default: ${DEFAULT-VALUE}")
    String nodeMetricsTopic;

    @Option(names = "--since", paramLabel = "TIME", description = "records from this long ago (1h) or this instant; "
            + "default: the beginning")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "records before this long ago or this instant; "
            + "default: up to now")
    String until;

    @Option(names = "--node", paramLabel = "N", description = "only records of this node (their value's nodeId)")
    String node;

    @Option(names = "--timeout", defaultValue = "10s", paramLabel = "DURATION",
            description = "how long to wait for the broker. Default: ${DEFAULT-VALUE}")
    String timeout;

    @Override
    public Integer call() {
        long now = cli.clock.millis();
        Long sinceMs = since == null ? null : TimeArg.resolve(since, now);
        Long untilMs = until == null ? null : TimeArg.resolve(until, now);
        if (sinceMs != null && untilMs != null && untilMs <= sinceMs) {
            throw new CliException("--until must be after --since", QpCli.EXIT_USAGE);
        }
        Duration wait = TimeArg.duration("--timeout", timeout);
        TopicExporter.Summary s = new TopicExporter(cli.clock, new TopicValues(framesTopic, nodeMetricsTopic)).export(out,
                new TopicExporter.Options(kafka, topics, sinceMs, untilMs, node, wait),
                n -> cli.err.println("qp export: " + n + " records so far ..."));
        StringBuilder per = new StringBuilder();
        s.perTopic().forEach((t, n) -> per.append(per.length() == 0 ? "" : ", ").append(t).append(' ').append(n));
        cli.out.printf("exported %d records to %s%s%s%n", s.written(), out, per.length() == 0 ? "" : " (" + per + ")",
                s.notJson() == 0 ? "" : "; " + s.notJson() + " records were neither JSON nor binary events of --frames-topic "
                        + framesTopic + " or --node-metrics-topic " + nodeMetricsTopic + ", and were left out");
        return QpCli.EXIT_OK;
    }
}
