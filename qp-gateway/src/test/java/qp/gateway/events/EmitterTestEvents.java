package qp.gateway.events;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.FrameEventCodec;
import qp.testsupport.kafka.KafkaRecords;

/** Frame events for the emitter tests, and reading them back from a topic. */
final class EmitterTestEvents {
    private EmitterTestEvents() {
    }

    static FrameEvent frame(String connectionId, long seq) {
        boolean in = seq % 2 == 0;
        return new FrameEvent("edge-test", connectionId, seq, "s-" + connectionId, in ? "COMMAND" : "ACK",
                in ? "echo" : null, in ? Direction.IN : Direction.OUT, 7 + (int) (seq % 100), (int) (seq % 100),
                seq % 3 == 0, 100 + seq, FrameEvent.OK, 1, 1_700_000_000_000L + seq);
    }

    static KafkaEmitterConfig config(String bootstrap, String topicPrefix, Path spoolDir, long spoolMaxBytes) {
        return new KafkaEmitterConfig(bootstrap, topicPrefix + ".frames", topicPrefix + ".node-metrics", spoolDir,
                spoolMaxBytes, 10_000)
                .withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofSeconds(10));
    }

    static String prefix() {
        return "t" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Every frame event of the topic, in topic order, checking that each record's key is its connection id. */
    static List<FrameEvent> readFrames(String bootstrap, String topic, int expected) throws Exception {
        List<ConsumerRecord<byte[], byte[]>> records = KafkaRecords.readAll(bootstrap, topic, expected,
                Duration.ofSeconds(90), false);
        List<FrameEvent> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            FrameEvent e = FrameEventCodec.decode(r.value());
            if (r.timestamp() != e.eventTimeMillis()) {
                throw new AssertionError("record timestamp " + r.timestamp() + " is not the event time of " + e);
            }
            if (!e.connectionId().equals(new String(r.key(), StandardCharsets.UTF_8))) {
                throw new AssertionError("record key " + new String(r.key(), StandardCharsets.UTF_8)
                        + " is not the connection id of " + e);
            }
            out.add(e);
        }
        return out;
    }

    /** Per connection, the seqs in the order they arrived (records of one key share a partition). */
    static Map<String, List<Long>> seqsByConnection(List<FrameEvent> events) {
        Map<String, List<Long>> m = new HashMap<>();
        for (FrameEvent e : events) {
            m.computeIfAbsent(e.connectionId(), k -> new ArrayList<>()).add(e.seq());
        }
        return m;
    }

    static List<Long> range(long fromInclusive, long toExclusive) {
        List<Long> l = new ArrayList<>();
        for (long i = fromInclusive; i < toExclusive; i++) {
            l.add(i);
        }
        return l;
    }
}
