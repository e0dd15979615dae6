package qp.job.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import qp.job.QpJob;
import qp.job.config.JobConfig;
import qp.job.io.KafkaSinks;
import qp.job.io.KafkaSources;
import qp.protocol.analytics.ModelReport;
import qp.protocol.analytics.WindowStats;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;
import qp.protocol.json.QpJson;
import qp.protocol.params.TunableParams;
import qp.broker.EmbeddedKafka;
import qp.broker.Topics;
import qp.broker.FreePorts;

/**
 * Does training stall windows or checkpoints? Runs the whole job on live-timed traffic (event time = wall clock) with
 * the models left out ({@code --without-training}) and with aggressive training (every few seconds, 30-tree forests
 * on up to 10,000 rows per node), alternating, each on a fresh local Flink cluster in this JVM and its own topics.
 * Per run it reports
 * <ul>
 *   <li><b>window latency</b>: for each window-stats row, the Kafka timestamp of the record (the topic uses
 *       LogAppendTime: when the broker got it from the job's sink; at-least-once delivery, so no transaction holds it
 *       back) minus the window's end; this includes the watermark delay (2 s), the same in both modes;</li>
 *   <li><b>checkpoint duration</b>: end-to-end duration of each completed checkpoint, from the job's REST API
 *       (Flink's own statistics);</li>
 *   <li>how many model versions the run trained (qp.models).</li>
 * </ul>
 * Windows and checkpoints of the first {@code --warmup} seconds are left out (deployment). Medians, p95 and max are
 * printed per run and per mode. Run (see BENCHMARKS.md):
 * <pre>
 * java -Xmx2g -cp qp-stream-job/target/classes:qp-stream-job/target/test-classes:$(cat /tmp/cp-test.txt) \
 *     qp.job.bench.TrainingStallBenchmark --seconds 150 --rounds 2
 * </pre>
 * Options: --seconds N (traffic per run, default 150), --warmup N (default 30), --rounds N (default 2), --rate N
 * (frame events/s, default 2000), --nodes N (default 2), --retrain-interval (default 5s), --bootstrap-servers
 * HOST:PORT (default: an in-process broker of its own).
 */
public final class TrainingStallBenchmark {
    private TrainingStallBenchmark() {
    }

    /** One run's measurements. */
    record Run(String mode, int round, List<Long> windowLatenciesMillis, List<Long> checkpointMillis, int models,
            int published, int failedCheckpoints) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int seconds = Integer.parseInt(a.getOrDefault("seconds", "150"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "30"));
        int rounds = Integer.parseInt(a.getOrDefault("rounds", "2"));
        int rate = Integer.parseInt(a.getOrDefault("rate", "2000"));
        int nodes = Integer.parseInt(a.getOrDefault("nodes", "2"));
        String retrain = a.getOrDefault("retrain-interval", "5s");
        EmbeddedKafka own = a.containsKey("bootstrap-servers") ? null : EmbeddedKafka.startNew();
        String bootstrap = own == null ? a.get("bootstrap-servers") : own.bootstrapServers();
        List<Run> runs = new ArrayList<>();
        try {
            for (int r = 1; r <= rounds; r++) {
                runs.add(run(bootstrap, false, r, seconds, warmup, rate, nodes, retrain));
                runs.add(run(bootstrap, true, r, seconds, warmup, rate, nodes, retrain));
            }
        } finally {
            if (own != null) {
                own.close();
            }
        }
        System.out.println();
        System.out.println("| run | windows | window latency p50 / p95 / max (ms) | checkpoints (failed) "
                + "| checkpoint duration p50 / p95 / max (ms) | models trained (published) |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (Run run : runs) {
            System.out.println(row(run.mode() + " " + run.round(), run.windowLatenciesMillis(), run.checkpointMillis(),
                    run.failedCheckpoints(), run.models(), run.published()));
        }
        for (String mode : List.of("training off", "training on")) {
            List<Long> w = new ArrayList<>();
            List<Long> c = new ArrayList<>();
            int models = 0;
            int published = 0;
            int failed = 0;
            for (Run run : runs) {
                if (run.mode().equals(mode)) {
                    w.addAll(run.windowLatenciesMillis());
                    c.addAll(run.checkpointMillis());
                    models += run.models();
                    published += run.published();
                    failed += run.failedCheckpoints();
                }
            }
            System.out.println(row("**" + mode + ", all rounds**", w, c, failed, models, published));
        }
    }

    private static String row(String name, List<Long> windows, List<Long> checkpoints, int failed, int models,
            int published) {
        return String.format(Locale.ROOT, "| %s | %d | %s | %d (%d) | %s | %d (%d) |", name, windows.size(),
                stats(windows), checkpoints.size(), failed, stats(checkpoints), models, published);
    }

    private static String stats(List<Long> values) {
        if (values.isEmpty()) {
            return "—";
        }
        List<Long> v = new ArrayList<>(values);
        Collections.sort(v);
        return String.format(Locale.ROOT, "%d / %d / %d", v.get((v.size() - 1) / 2),
                v.get((int) Math.ceil(v.size() * 0.95) - 1), v.get(v.size() - 1));
    }

    static Run run(String bootstrap, boolean training, int round, int seconds, int warmup, int rate, int nodes,
            String retrain) throws Exception {
        String mode = training ? "training on" : "training off";
        String id = "stall-" + (training ? "on" : "off") + "-" + round + "-" + UUID.randomUUID().toString().substring(0, 8);
        String frames = id + ".frames";
        String metrics = id + ".node-metrics";
        String windows = id + ".window-stats";
        String models = id + ".models";
        Topics.create(bootstrap, frames + ":2", metrics, models, id + ".control");
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            // LogAppendTime: the record's timestamp is when the broker got it, not the window's event time
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(windows, 2, (short) 1)
                    .configs(Map.of("message.timestamp.type", "LogAppendTime")))).all().get();
        }
        List<String> argv = new ArrayList<>(List.of("--bootstrap-servers", bootstrap, "--group-id", id,
                "--transactional-id-prefix", id, "--starting-offsets", "earliest", "--parallelism", "2",
                "--delivery", "at-least-once", "--checkpoint-interval", "5s",
                "--frames-topic", frames, "--node-metrics-topic", metrics, "--window-stats-topic", windows,
                "--models-topic", models, "--control-topic", id + ".control",
                "--anomalies-topic", id + ".anomalies", "--bigrams-topic", id + ".bigrams",
                "--recommendations-topic", id + ".recommendations", "--trends-topic", id + ".trends",
                "--dlq-topic", id + ".dlq", "--late-frames-topic", id + ".late-frames",
                "--experiment-stats-topic", id + ".experiment-stats",
                "--checkpoint-dir", Files.createTempDirectory("qp-stall-checkpoints").toUri().toString()));
        if (training) {
            argv.addAll(List.of("--retrain-interval", retrain, "--min-train-samples", "500"));
        } else {
            argv.add("--without-training");
        }
        JobConfig config = JobConfig.parse(argv.toArray(String[]::new));
        int restPort = FreePorts.pick(); // bound when the job starts, after Kafka clients have taken ephemeral ports
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        conf.set(RestOptions.PORT, restPort);
        conf.set(WebOptions.CHECKPOINTS_HISTORY_SIZE, 1000);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        QpJob.configure(env, config);
        QpJob.of(config, new KafkaSources(config), new KafkaSinks(config)).addTo(env);
        JobClient job = env.executeAsync(id);
        long startMillis = System.currentTimeMillis();
        System.out.printf(Locale.ROOT, "%s round %d: job %s, %d frame events/s for %d s%n", mode, round,
                job.getJobID(), rate, seconds);
        produce(bootstrap, frames, metrics, seconds, rate, nodes);
        Thread.sleep(15_000); // the last windows close (watermark delay) and a checkpoint or two complete
        JsonNode checkpoints = QpJson.mapper().readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + restPort + "/jobs/" + job.getJobID() + "/checkpoints")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        job.cancel().get();
        long measuredFrom = startMillis + warmup * 1000L;
        List<Long> ckpt = new ArrayList<>();
        for (JsonNode c : checkpoints.path("history")) {
            if ("COMPLETED".equals(c.path("status").asText()) && c.path("trigger_timestamp").asLong() >= measuredFrom) {
                ckpt.add(c.path("end_to_end_duration").asLong());
            }
        }
        int failed = checkpoints.path("counts").path("failed").asInt();
        List<Long> latencies = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll(bootstrap, windows)) {
            WindowStats w = QpJson.mapper().readValue(r.value(), WindowStats.class);
            if (w.windowEndMillis() >= measuredFrom) {
                latencies.add(r.timestamp() - w.windowEndMillis());
            }
        }
        int trained = 0;
        int published = 0;
        for (ConsumerRecord<byte[], byte[]> r : readAll(bootstrap, models)) {
            ModelReport m = QpJson.mapper().readValue(r.value(), ModelReport.class);
            trained++;
            published += m.published() ? 1 : 0;
        }
        Run run = new Run(mode, round, latencies, ckpt, trained, published, failed);
        System.out.println(row(mode + " " + round, latencies, ckpt, failed, trained, published));
        return run;
    }

    /**
     * Live-timed traffic: {@code rate} IN frames a second spread over the nodes (latency grows with payload and
     * connections, so training has something to learn), and one node-metrics sample per node and second.
     */
    static void produce(String bootstrap, String frames, String metrics, int seconds, int rate, int nodes)
            throws InterruptedException {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        String[] types = {"COMMAND", "DATA", "STREAM", "HEARTBEAT"};
        Random random = new Random(42);
        long[] seq = new long[nodes * 8];
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            long start = System.currentTimeMillis();
            long sent = 0;
            for (int s = 0; s < seconds; s++) {
                long secondStart = start + s * 1000L;
                int connections = 4 + (s / 10 % 6) * 10; // load phases of 10 s: 4..54 connections
                for (int n = 0; n < nodes; n++) {
                    NodeMetrics m = new NodeMetrics("edge-" + n, secondStart, rate / (double) nodes,
                            rate / (double) nodes, 0, 0, 0.3, 100_000_000, 1L << 30, connections, 0, 0, 1,
                            TunableParams.defaults());
                    producer.send(new ProducerRecord<>(metrics, m.nodeId().getBytes(), QpJson.bytes(m)));
                }
                for (int tick = 0; tick < 10; tick++) { // 10 bursts a second
                    long due = secondStart + tick * 100L;
                    long wait = due - System.currentTimeMillis();
                    if (wait > 0) {
                        Thread.sleep(wait);
                    }
                    for (int i = 0; i < rate / 10; i++, sent++) {
                        int node = random.nextInt(nodes);
                        int c = node * 8 + random.nextInt(8);
                        int payload = 50 + random.nextInt(16_000);
                        long latency = Math.max(1, Math.round(200 + payload * 0.5
                                + 20_000 * Math.pow(connections / 60.0, 2) + random.nextGaussian() * 300));
                        FrameEvent f = new FrameEvent("edge-" + node, "edge-" + node + "-c" + c, seq[c]++, "s-" + c,
                                types[random.nextInt(types.length)], null, Direction.IN, payload + 6, payload, false,
                                latency, FrameEvent.OK, 1, System.currentTimeMillis());
                        producer.send(new ProducerRecord<>(frames, f.connectionId().getBytes(), QpJson.bytes(f)));
                    }
                }
            }
            producer.flush();
        }
    }

    static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            int emptyPolls = 0;
            while (emptyPolls < 5) {
                var records = consumer.poll(Duration.ofSeconds(1));
                if (records.isEmpty() && !consumer.assignment().isEmpty()) {
                    emptyPolls++;
                }
                records.forEach(out::add);
            }
        }
        return out;
    }
}
