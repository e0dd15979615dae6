package qp.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static qp.gateway.events.EmitterTestEvents.config;
import static qp.gateway.events.EmitterTestEvents.frame;
import static qp.gateway.events.EmitterTestEvents.prefix;
import static qp.gateway.events.EmitterTestEvents.range;
import static qp.gateway.events.EmitterTestEvents.readFrames;
import static qp.gateway.events.EmitterTestEvents.seqsByConnection;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetricsCodec;
import qp.protocol.events.NodeMetrics;
import qp.protocol.params.TunableParams;
import qp.broker.EmbeddedKafka;
import qp.testsupport.kafka.KafkaRecords;

class KafkaEventEmitterTest {
    private static final EmbeddedKafka KAFKA = EmbeddedKafka.shared();

    @TempDir
    Path spoolDir;

    @Test
    void sendsEveryEventInOrderAsJsonKeyedByConnection() throws Exception {
        String p = prefix();
        KAFKA.createTopics(p + ".frames:3", p + ".node-metrics");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<FrameEvent> emitted = new ArrayList<>();
        try (KafkaEventEmitter emitter = new KafkaEventEmitter(
                config(KAFKA.bootstrapServers(), p, spoolDir, 64 << 20), registry)) {
            for (int seq = 0; seq < 300; seq++) {
                for (int c = 0; c < 8; c++) {
                    FrameEvent e = frame("c" + c, seq);
                    emitted.add(e);
                    emitter.emitFrame(e);
                }
            }
            NodeMetrics sample = new NodeMetrics("edge-test", 1_700_000_000_000L, 10.5, 9.5, 1000, 900, 0.25,
                    1 << 20, 1 << 30, 8, 0, 2, 3, TunableParams.defaults());
            emitter.emitNodeMetrics(sample);

            // the first events went through the spool (Kafka is probed first): sent, and deleted from it
            await().atMost(Duration.ofSeconds(60)).until(() -> emitter.stats().sent() == emitted.size() + 1
                    && emitter.stats().spooled() == 0);
            EmitterStats s = emitter.stats();
            assertThat(s.kafkaUp()).isTrue();
            assertThat(s.dropped()).isZero();
            assertThat(s.queueDepth()).isZero();
            assertThat(registry.get("qp.emitter.sent").functionCounter().count()).isEqualTo(emitted.size() + 1);
            assertThat(registry.get("qp.emitter.kafka.up").gauge().value()).isEqualTo(1.0);
            assertThat(registry.get("qp.emitter.queue.depth").gauge().value()).isZero();
            assertThat(registry.get("qp.emitter.spooled").gauge().value()).isZero();
            assertThat(registry.get("qp.emitter.dropped").tag("reason", "queue_full").functionCounter().count())
                    .isZero();

            List<FrameEvent> arrived = readFrames(KAFKA.bootstrapServers(), p + ".frames", emitted.size());
            assertThat(arrived).containsExactlyInAnyOrderElementsOf(emitted); // every field survives the binary encoding
            Map<String, List<Long>> seqs = seqsByConnection(arrived);
            assertThat(seqs).hasSize(8);
            seqs.values().forEach(l -> assertThat(l).isEqualTo(range(0, 300)));

            List<ConsumerRecord<byte[], byte[]>> metrics = KafkaRecords.readFromStart(KAFKA.bootstrapServers(),
                    p + ".node-metrics", 1, Duration.ofSeconds(60), false);
            assertThat(metrics).hasSize(1);
            assertThat(new String(metrics.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("edge-test");
            assertThat(metrics.get(0).timestamp()).as("the sample's own time").isEqualTo(sample.timestampMillis());
            assertThat(NodeMetricsCodec.decode(metrics.get(0).value())).isEqualTo(sample);
            assertThat(NodeMetricsCodec.decode(metrics.get(0).value()).params().bufferSizeBytes())
                    .isEqualTo(TunableParams.defaults().bufferSizeBytes());
        }
    }

    @Test
    void closeDeliversWhatIsStillInMemory() throws Exception {
        String p = prefix();
        KAFKA.createTopics(p + ".frames", p + ".node-metrics");
        KafkaEventEmitter emitter = new KafkaEventEmitter(config(KAFKA.bootstrapServers(), p, spoolDir, 64 << 20),
                new SimpleMeterRegistry());
        for (int seq = 0; seq < 5000; seq++) {
            emitter.emitFrame(frame("c", seq));
        }
        emitter.close(); // no waiting before: close itself must hand everything over, Kafka being up
        EmitterStats s = emitter.stats();
        assertThat(s.sent()).isEqualTo(5000);
        assertThat(s.spooled()).isZero();
        assertThat(s.dropped()).isZero();
        emitter.emitFrame(frame("c", 5000));
        assertThat(emitter.stats().dropped()).as("an event after close is counted").isEqualTo(1);
        assertThat(seqsByConnection(readFrames(KAFKA.bootstrapServers(), p + ".frames", 5000)).get("c"))
                .isEqualTo(range(0, 5000));
    }
}
