package qp.agent.replay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import qp.protocol.export.ExportReader;
import qp.protocol.export.ExportRecord;
import qp.agent.topics.TopicValues;

/**
 * Plays an export file back into Kafka: each record to its topic (with an optional prefix), its partition when the
 * target topic has it (else by key), its key and value, and its timestamp, rebased so that the earliest record is now
 * when asked (time fields inside the values move with it, see {@link TimeShift}).
 */
public final class KafkaReplayer {
    /** @param topicPrefix put before each topic name ("" for the same names) */
    public record Options(String bootstrap, String topicPrefix, Speed speed, boolean rebaseTime, Duration timeout) {
    }

    /** @param rebasedByMillis how far timestamps were moved (0 when not rebased) */
    public record Summary(long sent, Map<String, Long> perTopic, long rebasedByMillis) {
    }

    /** What a first pass over the file finds: topics with their highest partition, the earliest timestamp. */
    private record Scan(long records, long firstTimestampMillis, Map<String, Integer> maxPartition) {
    }

    private final Clock clock;
    private final Pacer.Sleeper sleeper;
    private final TopicValues values;

    /** Frame events and node samples of the default topics go back in the binary encoding, as gateways write them now. */
    public KafkaReplayer(Clock clock) {
        this(clock, Thread::sleep, TopicValues.defaults());
    }

    public KafkaReplayer(Clock clock, TopicValues values) {
        this(clock, Thread::sleep, values);
    }

    KafkaReplayer(Clock clock, Pacer.Sleeper sleeper) {
        this(clock, sleeper, TopicValues.defaults());
    }

    KafkaReplayer(Clock clock, Pacer.Sleeper sleeper, TopicValues values) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.values = values;
    }

    public Summary replay(Path file, Options o, LongConsumer progress) throws IOException, InterruptedException {
        Scan scan = scan(file);
        Map<String, Integer> partitions = ensureTopics(o, scan);
        long delta = o.rebaseTime() && scan.records() > 0 ? clock.millis() - scan.firstTimestampMillis() : 0;
        Map<String, Long> perTopic = new TreeMap<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Pacer pacer = new Pacer(o.speed(), clock, sleeper);
        long sent = 0;
        long lastProgress = clock.millis();
        try (KafkaProducer<byte[], byte[]> producer = producer(o); ExportReader in = ExportReader.open(file)) {
            for (ExportRecord r; (r = in.next()) != null; ) {
                pacer.awaitTurn(r.timestampMillis());
                String topic = o.topicPrefix() + r.topic();
                Integer partition = r.partition() < partitions.get(topic) ? r.partition() : null;
                byte[] key = r.key() == null ? null : r.key().getBytes(StandardCharsets.UTF_8);
                byte[] value = values.bytes(r.topic(), TimeShift.shift(r.value(), delta)); // as gateways write it
                producer.send(new ProducerRecord<>(topic, partition, r.timestampMillis() + delta, key, value),
                        (md, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
                perTopic.merge(topic, 1L, Long::sum);
                sent++;
                if (failure.get() != null) {
                    break;
                }
                if (clock.millis() - lastProgress >= 2000) {
                    progress.accept(sent);
                    lastProgress = clock.millis();
                }
            }
            producer.flush();
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw KafkaAccess.stalled(o.bootstrap(), "sending record " + (sent + 1) + " of " + scan.records(), e);
        }
        if (failure.get() != null) {
            throw new ReplayException("Kafka at " + o.bootstrap() + " refused a record: " + failure.get().getMessage());
        }
        return new Summary(sent, perTopic, delta);
    }

    private static Scan scan(Path file) throws IOException {
        long n = 0;
        long first = 0;
        Map<String, Integer> maxPartition = new HashMap<>();
        try (ExportReader in = ExportReader.open(file)) {
            for (ExportRecord r; (r = in.next()) != null; ) {
                // an export is read partition by partition, so the file's first line need not be its earliest record
                first = n++ == 0 ? r.timestampMillis() : Math.min(first, r.timestampMillis());
                maxPartition.merge(r.topic(), r.partition(), Math::max);
            }
        }
        return new Scan(n, first, maxPartition);
    }

    /**
     * Describes topics just created once the broker has them: its metadata may not know them yet, or know them without
     * a leader (the controller's records reach it a moment later). Seen in CI under load: "This server does not host
     * this topic-partition", and a replay whose first batches got NOT_LEADER_OR_FOLLOWER and whose idempotent producer
     * then retried an out-of-order sequence until its 120 s delivery timeout. So it asks again until every partition
     * has a leader, or the timeout.
     */
    private static Map<String, org.apache.kafka.clients.admin.TopicDescription> describeOnceKnown(Admin admin,
            List<String> topics, Options o) throws InterruptedException, ExecutionException,
            java.util.concurrent.TimeoutException {
        long attempts = Math.max(1, o.timeout().toMillis() / 100); // 100 ms apart: at least the timeout, no clock read
        for (long attempt = 1; ; attempt++) {
            try {
                Map<String, org.apache.kafka.clients.admin.TopicDescription> d = admin.describeTopics(topics)
                        .allTopicNames().get(o.timeout().toMillis(), TimeUnit.MILLISECONDS);
                boolean everyPartitionLed = d.values().stream().flatMap(t -> t.partitions().stream())
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                if (everyPartitionLed || attempt >= attempts) {
                    return d;
                }
                Thread.sleep(100);
            } catch (ExecutionException e) {
                boolean notYetKnown = e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
                if (!notYetKnown || attempt >= attempts) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /** Creates missing target topics with as many partitions as the file uses; returns each topic's partition count. */
    private static Map<String, Integer> ensureTopics(Options o, Scan scan) throws InterruptedException {
        Map<String, Integer> counts = new HashMap<>();
        try (Admin admin = KafkaAccess.admin(o.bootstrap(), o.timeout())) {
            Set<String> present = KafkaAccess.topics(admin, o.bootstrap(), o.timeout());
            List<NewTopic> missing = new ArrayList<>();
            scan.maxPartition().forEach((topic, max) -> {
                String target = o.topicPrefix() + topic;
                if (!present.contains(target)) {
                    missing.add(new NewTopic(target, max + 1, (short) 1));
                }
            });
            try {
                if (!missing.isEmpty()) {
                    admin.createTopics(missing).all().get(o.timeout().toMillis(), TimeUnit.MILLISECONDS);
                }
                List<String> targets = scan.maxPartition().keySet().stream().map(t -> o.topicPrefix() + t).toList();
                describeOnceKnown(admin, targets, o).forEach((name, d) -> counts.put(name, d.partitions().size()));
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new ReplayException("cannot prepare the target topics on " + o.bootstrap() + ": "
                        + (e.getCause() == null ? e : e.getCause()).getMessage());
            }
        }
        return counts;
    }

    private static KafkaProducer<byte[], byte[]> producer(Options o) {
        // the broker answered ensureTopics: from here on a slow broker is waited for (a full send buffer blocks)
        int ms = (int) KafkaAccess.patience(o.timeout()).toMillis();
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, o.bootstrap(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, ms, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, ms), new ByteArraySerializer(), new ByteArraySerializer());
    }
}
