package qp.agent.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import qp.agent.replay.TopicTail;
import qp.agent.topics.TopicValues;

@Command(name = "tail", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Prints the records of a topic as they come, one a line, until Ctrl-C.",
                "Frame events and node samples (binary or JSON) as a readable line, or as their JSON with --json; "
                        + "the job's topics are JSON and printed as they are. A value that cannot be read is one line "
                        + "on stderr, and the tail goes on."})
final class TailCommand implements Callable<Integer> {
    @ParentCommand
    QpCli cli;

    @Parameters(index = "0", paramLabel = "TOPIC", description = "the topic, e.g. qp.frames, qp.node-metrics, qp.dlq")
    String topic;

    @Option(names = "--json", description = "frame events and node samples as JSON (one object a line)")
    boolean json;

    @Option(names = "--kafka", defaultValue = "localhost:${env:QP_KAFKA_PORT:-9092}", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers. Default: ${DEFAULT-VALUE}")
    String kafka;

    @Option(names = "--from-beginning", description = "start at the first record kept, not at the end")
    boolean fromBeginning;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N",
            description = "stop after N records (0: until Ctrl-C). Default: ${DEFAULT-VALUE}")
    long limit;

    @Option(names = "--frames-topic", defaultValue = "qp.frames", paramLabel = "TOPIC",
            description = "the topic of frame events. Default: ${DEFAULT-VALUE}")
    String framesTopic;

    @Option(names = "--node-metrics-topic", defaultValue = "qp.node-metrics", paramLabel = "TOPIC",
            description = "the topic of node samples. Default: ${DEFAULT-VALUE}")
    String nodeMetricsTopic;

    @Option(names = "--timeout", defaultValue = "10s", paramLabel = "DURATION",
            description = "how long to wait for the broker. Default: ${DEFAULT-VALUE}")
    String timeout;

    @Override
    public Integer call() {
        if (limit < 0) {
            throw new CliException("--limit " + limit + ": use 0 (no limit) or more", QpCli.EXIT_USAGE);
        }
        Duration wait = TimeArg.duration("--timeout", timeout);
        TopicTail tail = new TopicTail(new TopicValues(framesTopic, nodeMetricsTopic));
        CountDownLatch done = new CountDownLatch(1);
        Thread onCtrlC = new Thread(() -> {
            tail.stop();
            try {
                done.await(3, TimeUnit.SECONDS); // let the consumer close
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "qp-tail-stop");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        try {
            tail.run(new TopicTail.Options(kafka, topic, json, fromBeginning, limit, wait), cli.out, cli.err);
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onCtrlC);
            } catch (IllegalStateException e) {
                // already shutting down: Ctrl-C
            }
        }
        cli.out.flush();
        return QpCli.EXIT_OK;
    }
}
