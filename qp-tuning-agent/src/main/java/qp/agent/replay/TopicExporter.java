package qp.agent.replay;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import qp.protocol.export.ExportRecord;
import qp.protocol.export.ExportWriter;
import qp.agent.topics.TopicValues;

/**
 * Copies records of Kafka topics into an export file (DESIGN.md, "Export files"): every partition from the first record
 * at or after {@code since} up to the end offsets as they were at the start (read_committed), in the order read.
 */
public final class TopicExporter {
    /**
     * @param sinceMillis record timestamps from (inclusive), or null for the beginning
     * @param untilMillis record timestamps up to (exclusive), or null for the end
     * @param nodeId      keep only records whose value's {@code nodeId} is this one (records without one are kept)
     */
    public record Options(String bootstrap, List<String> topics, Long sinceMillis, Long untilMillis, String nodeId,
            Duration timeout) {
    }

    /**
     * @param perTopic records written per topic; {@code notJson}: values that could not be read (not JSON, or a frame
     *                 event or node sample neither in the binary encoding nor in JSON), left out
     */
    public record Summary(long written, Map<String, Long> perTopic, long filteredOut, long notJson) {
    }

    private final Clock clock;
    private final TopicValues values;

    /** Frame events and node samples of the default topics are written as the JSON they were before the binary encoding. */
    public TopicExporter(Clock clock) {
        this(clock, TopicValues.defaults());
    }

    public TopicExporter(Clock clock, TopicValues values) {
        this.clock = clock;
        this.values = values;
    }

    /** Writes the file; {@code progress} gets the count written so far about every two seconds. */
    public Summary export(Path file, Options o, LongConsumer progress) {
        try (Admin admin = KafkaAccess.admin(o.bootstrap(), o.timeout())) {
            KafkaAccess.requireTopics(KafkaAccess.topics(admin, o.bootstrap(), o.timeout()), o.topics(), o.bootstrap());
        }
        Map<String, Long> perTopic = new TreeMap<>();
        long filtered = 0;
        long notJson = 0;
        Duration patience = KafkaAccess.patience(o.timeout()); // the broker answered: a slow one is waited for
        String doing = "reading the topics' partitions and end offsets";
        try (KafkaConsumer<byte[], byte[]> c = consumer(o); ExportWriter w = ExportWriter.create(file)) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String t : o.topics()) {
                c.partitionsFor(t, patience).forEach(i -> parts.add(new TopicPartition(t, i.partition())));
            }
            c.assign(parts);
            Map<TopicPartition, Long> end = new HashMap<>(c.endOffsets(parts, patience));
            seekToStart(c, parts, end, o, patience);
            doing = "reading records";
            long lastProgress = clock.millis();
            long lastRecord = clock.millis();
            while (!done(c, parts, end)) {
                List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
                c.poll(Duration.ofMillis(200)).forEach(batch::add);
                long now = clock.millis();
                if (!batch.isEmpty()) {
                    lastRecord = now;
                } else if (now - lastRecord > patience.toMillis()) {
                    throw new ReplayException("export stalled: no record from " + o.bootstrap() + " for "
                            + (now - lastRecord) / 1000 + " s before the end offsets " + end);
                }
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (r.offset() >= end.get(tp)) {
                        continue;
                    }
                    if (o.untilMillis() != null && r.timestamp() >= o.untilMillis()) {
                        filtered++;
                        continue;
                    }
                    JsonNode value;
                    try {
                        value = r.value() == null ? null : values.json(r.topic(), r.value());
                    } catch (IOException | RuntimeException e) { // not JSON, or an event neither binary nor JSON
                        value = null;
                    }
                    if (value == null) {
                        notJson++;
                        continue;
                    }
                    if (o.nodeId() != null && value.hasNonNull("nodeId") && !o.nodeId().equals(value.get("nodeId").asText())) {
                        filtered++;
                        continue;
                    }
                    String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
                    w.write(new ExportRecord(r.topic(), r.partition(), r.offset(), key, r.timestamp(), value));
                    perTopic.merge(r.topic(), 1L, Long::sum);
                }
                if (now - lastProgress >= 2000) {
                    progress.accept(w.written());
                    lastProgress = now;
                }
            }
            return new Summary(w.written(), perTopic, filtered, notJson);
        } catch (IOException e) {
            throw new ReplayException("cannot write " + file + ": " + e.getMessage(), e);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw KafkaAccess.stalled(o.bootstrap(), doing, e);
        }
    }

    private static void seekToStart(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> parts,
            Map<TopicPartition, Long> end, Options o, Duration patience) {
        if (o.sinceMillis() == null) {
            c.seekToBeginning(parts);
            return;
        }
        Map<TopicPartition, Long> query = new HashMap<>();
        parts.forEach(tp -> query.put(tp, o.sinceMillis()));
        Map<TopicPartition, OffsetAndTimestamp> found = c.offsetsForTimes(query, patience);
        for (TopicPartition tp : parts) {
            OffsetAndTimestamp at = found.get(tp);
            c.seek(tp, at == null ? end.get(tp) : at.offset()); // none that late: nothing to read there
        }
    }

    private static boolean done(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> parts,
            Map<TopicPartition, Long> end) {
        for (TopicPartition tp : parts) {
            if (c.position(tp) < end.get(tp)) {
                return false;
            }
        }
        return true;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(Options o) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, o.bootstrap());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // the job's topics are transactional
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        // created after the reachability check: calls without their own timeout (position) wait for a slow broker
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) KafkaAccess.patience(o.timeout()).toMillis());
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
