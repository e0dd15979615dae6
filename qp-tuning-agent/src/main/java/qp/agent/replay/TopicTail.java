package qp.agent.replay;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import qp.agent.topics.TopicValues;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;
import qp.protocol.json.QpJson;

/**
 * {@code bin/qp tail}: prints the records of one topic as they come, one line each. Frame events and node samples are
 * decoded (binary or JSON) into a readable line, or into their JSON with {@code json}; other topics are JSON already
 * and printed as they are. A value that cannot be read is one line on the error stream, and the tail goes on.
 */
public final class TopicTail {
    /**
     * @param limit stop after this many records (0: until {@link #stop()})
     */
    public record Options(String bootstrap, String topic, boolean json, boolean fromBeginning, long limit,
            Duration timeout) {
    }

    private final TopicValues values;
    private volatile boolean stopped;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    public TopicTail(TopicValues values) {
        this.values = values;
    }

    /** Prints records until {@link #stop()} or the limit; returns how many records it printed or reported. */
    public long run(Options o, PrintWriter out, PrintWriter err) {
        try (Admin admin = KafkaAccess.admin(o.bootstrap(), o.timeout())) {
            KafkaAccess.requireTopics(KafkaAccess.topics(admin, o.bootstrap(), o.timeout()), List.of(o.topic()),
                    o.bootstrap());
        }
        long seen = 0;
        try (KafkaConsumer<byte[], byte[]> c = consumer(o.bootstrap())) {
            consumer = c;
            List<TopicPartition> parts = c.partitionsFor(o.topic(), KafkaAccess.patience(o.timeout())).stream()
                    .map(i -> new TopicPartition(o.topic(), i.partition())).toList();
            c.assign(parts);
            if (o.fromBeginning()) {
                c.seekToBeginning(parts);
            } else {
                c.seekToEnd(parts);
            }
            String at = parts.stream().map(tp -> tp.partition() + "@" + c.position(tp)).collect(Collectors.joining(" "));
            err.println("qp tail: " + o.topic() + " from " + at + " (partition@offset); Ctrl-C ends it");
            while (!stopped && (o.limit() == 0 || seen < o.limit())) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    print(r, o.json(), out, err);
                    if (++seen == o.limit()) {
                        break;
                    }
                }
            }
        } catch (WakeupException e) {
            // stop(): Ctrl-C
        } finally {
            consumer = null;
        }
        return seen;
    }

    /** Ends {@link #run} from another thread (the Ctrl-C hook). */
    public void stop() {
        stopped = true;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    private void print(ConsumerRecord<byte[], byte[]> r, boolean json, PrintWriter out, PrintWriter err) {
        try {
            out.println(line(r.topic(), r.value(), json));
        } catch (RuntimeException e) { // EventDecodeException names the record, the field and the byte
            err.println("qp tail: " + r.topic() + " " + r.partition() + "@" + r.offset() + ": cannot read the value: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    /** One record as printed; throws with the reason when the value cannot be read. */
    String line(String topic, byte[] value, boolean json) {
        if (value == null || value.length == 0) {
            throw new IllegalArgumentException("empty value");
        }
        if (values.isFrames(topic)) {
            FrameEvent f = TopicValues.frame(value);
            return json ? QpJson.string(f) : readable(f);
        }
        if (values.isNodeMetrics(topic)) {
            NodeMetrics m = TopicValues.nodeMetrics(value);
            return json ? QpJson.string(m) : readable(m);
        }
        return new String(value, StandardCharsets.UTF_8).strip(); // the job's topics: JSON already
    }

    static String readable(FrameEvent f) {
        return String.format(Locale.ROOT, "%s %s %s %s%s conn=%s seq=%d wire=%dB raw=%dB%s outcome=%s latency=%dus params=v%d%s",
                Instant.ofEpochMilli(f.eventTimeMillis()), f.nodeId(), f.direction(), f.type(),
                f.op() == null ? "" : " " + f.op(), f.connectionId(), f.seq(), f.wireBytes(), f.rawBytes(),
                f.compressed() ? " compressed" : "", f.outcome(), f.latencyMicros(), f.paramVersion(),
                experiment(f.experimentId(), f.arm()));
    }

    static String readable(NodeMetrics m) {
        return String.format(Locale.ROOT, "%s %s frames in=%.1f/s out=%.1f/s bytes in=%.0f/s out=%.0f/s cpu=%.0f%% "
                        + "heap=%d/%dMB connections=%d heartbeatTimeouts=%d params=v%d%s",
                Instant.ofEpochMilli(m.timestampMillis()), m.nodeId(), m.framesInPerSec(), m.framesOutPerSec(),
                m.bytesInPerSec(), m.bytesOutPerSec(), m.processCpuLoad() * 100, m.heapUsedBytes() >> 20,
                m.heapMaxBytes() >> 20, m.connections(), m.heartbeatTimeouts(), m.paramVersion(),
                experiment(m.experimentId(), m.arm()));
    }

    private static String experiment(String id, String arm) {
        return id == null ? "" : " experiment=" + id + (arm == null ? "" : " arm=" + arm);
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // the job's topics are written in transactions
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "qp-tail");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
