package qp.job.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import qp.job.QpJob;
import qp.job.config.JobConfig;
import qp.job.config.JobOptions;
import qp.job.io.Decoded;
import qp.job.io.JobSources;
import qp.job.io.KafkaSinks;
import qp.job.io.KafkaSources;
import qp.job.io.QpTypes;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;
import qp.protocol.json.QpJson;
import qp.broker.EmbeddedKafka;

/**
 * Throughput of the whole analytics job against the pass-through job (read, deserialize, discard), in the same run:
 * frame events are loaded once into a local broker, then the two jobs read all of them (--bounded), alternating,
 * each on a fresh local Flink cluster. Events/s counts from the first to the last record consumed (a tap right after
 * the Kafka source); the medians are printed. Run (see BENCHMARKS.md):
 * <pre>
 * java -Xmx3g -cp qp-stream-job/target/classes:qp-stream-job/target/test-classes:$(cat /tmp/cp-test.txt) \
 *     qp.job.bench.JobThroughputBenchmark --events 3000000 --rounds 3
 * </pre>
 * Options: --events N, --rounds N, --parallelism N, --partitions N, --nodes N, --bootstrap-servers HOST:PORT
 * (default: an in-process broker of its own), --load-only (load the topic and exit), --experiment-nodes N (the first
 * N nodes run an experiment: their events carry an experiment id, an arm by session and a bucket, so the job's
 * per-arm statistics work on them; default 0), --encoding binary|json (how the events are written: binary as gateways
 * write them since the binary encoding, json as before it; default binary), --only analytics|pass-through (run that
 * job alone, every round: the steady state of one job in its JVM, without the other's code in the same JIT profiles;
 * no ratio then), --warmup-rounds K (the first K rounds run and print but stay out of the medians: each round is a new
 * job, and the JIT is still compiling in the fifth round of a short run; default 0). Each round reports its figures
 * twice: over the whole run (first record to the job's end) and mid-run, between 20% and 80% of the records read,
 * which leaves out the job's start and end.
 */
public final class JobThroughputBenchmark {
    static final Map<String, AtomicLong> FIRST_NANOS = new ConcurrentHashMap<>();
    static final Map<String, AtomicLong> LAST_NANOS = new ConcurrentHashMap<>();
    static final Map<String, AtomicLong> COUNTS = new ConcurrentHashMap<>();
    static final Map<String, AtomicLong> FIRST_CPU_NANOS = new ConcurrentHashMap<>();
    static final Map<String, AtomicLong> FIRST_BUSY_JIFFIES = new ConcurrentHashMap<>();
    static final Map<String, Mid> MID = new ConcurrentHashMap<>();
    static final double MID_FROM = 0.2;
    static final double MID_TO = 0.8;
    /** The readers report every this many records to {@link Mid}. */
    static final int MID_STEP = 1024;

    /** When the readers, all together, passed the run's {@link #MID_FROM} and {@link #MID_TO} of the records. */
    static final class Mid {
        final long from;
        final long to;
        final AtomicLong seen = new AtomicLong();
        final AtomicLong startCount = new AtomicLong(-1);
        final AtomicLong startNanos = new AtomicLong();
        final AtomicLong startCpu = new AtomicLong();
        final AtomicLong endCount = new AtomicLong(-1);
        final AtomicLong endNanos = new AtomicLong();
        final AtomicLong endCpu = new AtomicLong();

        Mid(long from, long to) {
            this.from = from;
            this.to = to;
        }

        void passed(int records) {
            long n = seen.addAndGet(records);
            if (n >= from && startCount.compareAndSet(-1, n)) {
                startNanos.set(System.nanoTime());
                startCpu.set(OS.getProcessCpuTime());
            } else if (n >= to && endCount.compareAndSet(-1, n)) {
                endNanos.set(System.nanoTime());
                endCpu.set(OS.getProcessCpuTime());
            }
        }
    }
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private JobThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = args(args);
        long events = Long.parseLong(a.getOrDefault("events", "3000000"));
        int rounds = Integer.parseInt(a.getOrDefault("rounds", "3"));
        int parallelism = Integer.parseInt(a.getOrDefault("parallelism", "2"));
        int partitions = Integer.parseInt(a.getOrDefault("partitions", "2"));
        int nodes = Integer.parseInt(a.getOrDefault("nodes", "20"));
        int experimentNodes = Integer.parseInt(a.getOrDefault("experiment-nodes", "0"));
        int warmupRounds = Integer.parseInt(a.getOrDefault("warmup-rounds", "0"));
        if (warmupRounds < 0 || warmupRounds >= rounds) {
            throw new IllegalArgumentException("--warmup-rounds must be at least 0 and less than --rounds, got "
                    + warmupRounds);
        }
        boolean json = switch (a.getOrDefault("encoding", "binary")) {
            case "binary" -> false;
            case "json" -> true;
            default -> throw new IllegalArgumentException("--encoding must be binary or json, got " + a.get("encoding"));
        };
        EmbeddedKafka own = a.containsKey("bootstrap-servers") ? null : EmbeddedKafka.startNew();
        String bootstrap = own == null ? a.get("bootstrap-servers") : own.bootstrapServers();
        String topic = "bench.frames";
        try {
            createTopic(bootstrap, topic, partitions);
            createTopic(bootstrap, "bench.node-metrics", 1);
            long loadStart = System.nanoTime();
            long bytes = load(bootstrap, topic, events, nodes, experimentNodes, json);
            double loadSecs = (System.nanoTime() - loadStart) / 1e9;
            System.out.printf(Locale.ROOT, "loaded %,d frame events (%,d bytes of %s, %.0f B/event) into %s "
                    + "(%d partitions) in %.1f s%n", events, bytes, json ? "JSON" : "binary encoding", (double) bytes / events, topic, partitions, loadSecs);
            if (a.containsKey("load-only")) {
                return;
            }
            String only = a.getOrDefault("only", "");
            if (!List.of("", "analytics", "pass-through").contains(only)) {
                throw new IllegalArgumentException("--only must be analytics or pass-through, got " + only);
            }
            Figures pass = new Figures("pass-through");
            Figures analytics = new Figures("analytics   ");
            for (int r = 1; r <= rounds; r++) {
                if (r == warmupRounds + 1) {
                    pass.clear();
                    analytics.clear();
                }
                if (!only.equals("analytics")) {
                    pass.add(run(bootstrap, topic, events, parallelism, true, r));
                }
                if (!only.equals("pass-through")) {
                    analytics.add(run(bootstrap, topic, events, parallelism, false, r));
                }
            }
            System.out.println();
            if (warmupRounds > 0) {
                System.out.printf(Locale.ROOT, "(medians of rounds %d-%d; the %d warm-up round(s) are not counted)%n",
                        warmupRounds + 1, rounds, warmupRounds);
            }
            pass.print();
            analytics.print();
            if (!pass.isEmpty() && !analytics.isEmpty()) {
                System.out.printf(Locale.ROOT, "RESULT ratio analytics / pass-through = %.2f (events/s), %.2f (CPU per "
                        + "event, pass-through / analytics); mid-run %.2f (events/s), %.2f (CPU)%n",
                        analytics.median(Round::rate) / pass.median(Round::rate),
                        pass.median(Round::cpu) / analytics.median(Round::cpu),
                        analytics.median(Round::midRate) / pass.median(Round::midRate),
                        pass.median(Round::midCpu) / analytics.median(Round::midCpu));
            }
        } finally {
            if (own != null) {
                own.close();
            }
        }
    }

    /** One round of one job: events/s and CPU microseconds of this JVM per event, over the whole run and mid-run. */
    record Round(double rate, double cpu, double midRate, double midCpu) {
    }

    /** One job's counted rounds. */
    static final class Figures {
        private final String name;
        private final List<Round> rounds = new ArrayList<>();

        Figures(String name) {
            this.name = name;
        }

        void add(Round round) {
            rounds.add(round);
        }

        void clear() {
            rounds.clear();
        }

        boolean isEmpty() {
            return rounds.isEmpty();
        }

        List<Double> of(ToDoubleFunction<Round> figure) {
            return rounds.stream().map(figure::applyAsDouble).toList();
        }

        double median(ToDoubleFunction<Round> figure) {
            return JobThroughputBenchmark.median(of(figure));
        }

        void print() {
            if (isEmpty()) {
                return;
            }
            System.out.printf(Locale.ROOT, "RESULT %s median %,.0f events/s %s, %.2f CPU-us/event %s%n", name,
                    median(Round::rate), fmt(of(Round::rate)), median(Round::cpu), fmt2(of(Round::cpu)));
            System.out.printf(Locale.ROOT, "RESULT %s mid-run (records %.0f-%.0f%%) median %,.0f events/s %s, %.2f "
                    + "CPU-us/event %s%n", name, MID_FROM * 100, MID_TO * 100, median(Round::midRate),
                    fmt(of(Round::midRate)), median(Round::midCpu), fmt2(of(Round::midCpu)));
        }
    }

    /**
     * Runs one job and returns its figures, the mid-run ones between the readers' {@link #MID_FROM} and
     * {@link #MID_TO} of the records, without the job's start (the JIT compiling Flink's, Kafka's and the job's code
     * anew for each job: thousands of methods) and its end.
     */
    static Round run(String bootstrap, String topic, long events, int parallelism, boolean passThrough, int round)
            throws Exception {
        String id = (passThrough ? "pass" : "analytics") + "-" + round + "-" + System.nanoTime();
        List<String> argv = new ArrayList<>(List.of("--bootstrap-servers", bootstrap, "--frames-topic", topic,
                "--node-metrics-topic", "bench.node-metrics", "--group-id", id, "--transactional-id-prefix", id,
                "--starting-offsets", "earliest", "--bounded", "--parallelism", String.valueOf(parallelism),
                "--window-stats-topic", "bench.window-stats", "--anomalies-topic", "bench.anomalies",
                "--bigrams-topic", "bench.bigrams", "--recommendations-topic", "bench.recommendations",
                "--trends-topic", "bench.trends",
                "--dlq-topic", "bench.dlq", "--late-frames-topic", "bench.late-frames",
                "--experiment-stats-topic", "bench.experiment-stats",
                "--checkpoint-dir", java.nio.file.Files.createTempDirectory("qp-bench-checkpoints").toUri().toString()));
        if (passThrough) {
            argv.add("--pass-through");
        }
        JobConfig config = JobConfig.parse(argv.toArray(String[]::new));
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
        QpJob.configure(env, config);
        KafkaSources kafka = new KafkaSources(config);
        JobSources tapped = new JobSources() {
            @Override
            public DataStream<Decoded<FrameEvent>> frames(StreamExecutionEnvironment e,
                    WatermarkStrategy<Decoded<FrameEvent>> time) {
                // At the reader's parallelism, so the tap chains to it and the graph keeps the job's own edges.
                DataStream<Decoded<FrameEvent>> read = kafka.frames(e, time);
                return read.map(new Tap(id)).returns(QpTypes.DECODED_FRAME)
                        .name("bench-tap").uid("bench-tap").setParallelism(read.getParallelism());
            }

            @Override
            public DataStream<Decoded<qp.protocol.events.NodeMetrics>> nodeMetrics(StreamExecutionEnvironment e,
                    WatermarkStrategy<Decoded<qp.protocol.events.NodeMetrics>> time) {
                return kafka.nodeMetrics(e, time);
            }
        };
        QpJob.of(config, tapped, new KafkaSinks(config)).addTo(env);
        FIRST_NANOS.put(id, new AtomicLong(Long.MAX_VALUE));
        LAST_NANOS.put(id, new AtomicLong(Long.MIN_VALUE));
        COUNTS.put(id, new AtomicLong());
        FIRST_CPU_NANOS.put(id, new AtomicLong(-1));
        FIRST_BUSY_JIFFIES.put(id, new AtomicLong(-1));
        MID.put(id, new Mid((long) (events * MID_FROM), (long) (events * MID_TO)));
        env.execute(id);
        long done = System.nanoTime();
        long cpuNanos = OS.getProcessCpuTime() - FIRST_CPU_NANOS.get(id).get();
        long busy = busyJiffies() - FIRST_BUSY_JIFFIES.get(id).get();
        long first = FIRST_NANOS.get(id).get();
        long last = LAST_NANOS.get(id).get();
        long count = COUNTS.get(id).get();
        if (count != events) {
            throw new IllegalStateException(id + " consumed " + count + " records, expected " + events);
        }
        double rate = count / ((last - first) / 1e9);
        double cpuPerEvent = cpuNanos / 1e3 / count;
        double wallSecs = (done - first) / 1e9;
        double machineCores = busy / 100.0 / wallSecs; // USER_HZ = 100
        double othersCores = Math.max(0, machineCores - cpuNanos / 1e9 / wallSecs);
        System.out.printf(Locale.ROOT, "round %d %-12s %,10.0f events/s  (first→last record %.2f s; to job end %.2f s)"
                        + "  %.2f CPU-us/event; other processes used %.2f of the 2 cores%n",
                round, passThrough ? "pass-through" : "analytics", rate, (last - first) / 1e9, wallSecs, cpuPerEvent,
                othersCores);
        Mid mid = MID.get(id);
        long midCount = mid.endCount.get() - mid.startCount.get();
        boolean midSeen = mid.startCount.get() >= 0 && mid.endCount.get() >= 0; // too few records: no middle
        double midRate = midSeen ? midCount / ((mid.endNanos.get() - mid.startNanos.get()) / 1e9) : Double.NaN;
        double midCpu = midSeen ? (mid.endCpu.get() - mid.startCpu.get()) / 1e3 / midCount : Double.NaN;
        System.out.printf(Locale.ROOT, "        mid-run (records %.0f-%.0f%%): %,10.0f events/s, %.2f CPU-us/event%n",
                MID_FROM * 100, MID_TO * 100, midRate, midCpu);
        return new Round(rate, cpuPerEvent, midRate, midCpu);
    }

    /** Notes when the first and the last record passed, per run, for the JVM-local cluster. */
    static final class Tap extends RichMapFunction<Decoded<FrameEvent>, Decoded<FrameEvent>> {
        private final String id;
        private transient long first;
        private transient long last;
        private transient long count;

        Tap(String id) {
            this.id = id;
        }

        @Override
        public void open(OpenContext ctx) {
            first = 0;
            count = 0;
        }

        @Override
        public Decoded<FrameEvent> map(Decoded<FrameEvent> value) {
            long now = System.nanoTime();
            if (count++ == 0) {
                first = now;
                FIRST_CPU_NANOS.get(id).compareAndSet(-1, OS.getProcessCpuTime());
                FIRST_BUSY_JIFFIES.get(id).compareAndSet(-1, busyJiffies());
            }
            last = now;
            if (count % MID_STEP == 0) {
                MID.get(id).passed(MID_STEP);
            }
            return value;
        }

        @Override
        public void close() {
            if (count > 0) {
                FIRST_NANOS.get(id).accumulateAndGet(first, Math::min);
                LAST_NANOS.get(id).accumulateAndGet(last, Math::max);
                COUNTS.get(id).addAndGet(count);
            }
        }
    }

    /** Steady synthetic traffic: {@code nodes} nodes, 10,000 events/s of event time in total, 8 connections a node. */
    static long load(String bootstrap, String topic, long events, int nodes, int experimentNodes, boolean json) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"); // as the gateway's emitter sends them
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        String[] types = {"COMMAND", "COMMAND", "DATA", "DATA", "ACK", "HEARTBEAT", "STREAM", "AUTH"};
        Random random = new Random(42);
        long t0 = 1_700_000_000_000L;
        long[] seq = new long[nodes * 8];
        long bytes = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (long i = 0; i < events; i++) {
                int node = random.nextInt(nodes);
                int c = node * 8 + random.nextInt(8);
                String type = types[random.nextInt(types.length)];
                int raw = 50 + random.nextInt(2_000);
                long time = t0 + i / 10 + random.nextInt(200); // 10 per ms, up to 200 ms out of order
                FrameEvent f = new FrameEvent("edge-" + node, "edge-" + node + "-c" + c, seq[c]++, "s-" + c, type,
                        type.equals("COMMAND") ? "echo" : null, type.equals("ACK") ? Direction.OUT : Direction.IN,
                        raw + 6, raw, raw > 1_024, 200 + random.nextInt(5_000),
                        random.nextInt(200) == 0 ? "UNKNOWN_OP" : FrameEvent.OK, 1, time,
                        node < experimentNodes ? "bench-x" + node : null,
                        node < experimentNodes ? (c % 2 == 0 ? "treatment" : "control") : null,
                        node < experimentNodes ? c % 8 : null);
                byte[] value = json ? QpJson.bytes(f) : qp.protocol.events.FrameEventCodec.encode(f);
                bytes += value.length;
                producer.send(new ProducerRecord<>(topic, f.connectionId().getBytes(StandardCharsets.UTF_8), value));
            }
            producer.flush();
        }
        return bytes;
    }

    static void createTopic(String bootstrap, String topic, int partitions) throws Exception {
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            if (admin.listTopics().names().get().contains(topic)) {
                admin.deleteTopics(List.of(topic)).all().get();
                Thread.sleep(2_000);
            }
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, partitions, (short) 1)))
                    .all().get();
        }
    }

    /** Jiffies the whole machine spent busy (not idle, not iowait) since boot, from /proc/stat. */
    static long busyJiffies() {
        try {
            String[] f = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                total += Long.parseLong(f[i]);
            }
            return total - Long.parseLong(f[4]) - Long.parseLong(f[5]);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    static String fmt2(List<Double> xs) {
        return xs.stream().map(x -> String.format(Locale.ROOT, "%.2f", x)).toList().toString();
    }

    static double median(List<Double> xs) {
        List<Double> s = xs.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static String fmt(List<Double> xs) {
        return xs.stream().map(x -> String.format(Locale.ROOT, "%,.0f", x)).toList().toString();
    }

    static Map<String, String> args(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String k = args[i].replaceFirst("^--", "");
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                m.put(k, args[++i]);
            } else {
                m.put(k, "true");
            }
        }
        return m;
    }
}
