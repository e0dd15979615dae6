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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qp.protocol.events.FrameEvent;
import qp.broker.EmbeddedKafka;

/**
 * The case the outage tests leave out: a real broker dies while it holds records it wrote but whose acknowledgement
 * never reached the emitter (a relay in front of it stops passing its responses). The package doc's guarantee,
 * asserted exactly: every event arrives; per key the duplicates are one contiguous run, repeated once, starting at the
 * oldest event not acknowledged to the emitter; they are exactly the records the broker held unacknowledged.
 * A private broker, since it is killed.
 */
class KafkaDiesHoldingUnacknowledgedRecordsTest {
    private static final Duration LONG = Duration.ofSeconds(90);
    private static final int CONNECTIONS = 3;
    private static final int BEFORE = 100;
    private static final int HELD = 100;

    @TempDir
    Path spoolDir;

    @Test
    void whatTheBrokerWroteWithoutAcknowledgingIsSentAgainOnceAsOneRunPerKey() throws Exception {
        String p = prefix();
        String frames = p + ".frames";
        try (ResponseHoldingProxy proxy = new ResponseHoldingProxy();
                EmbeddedKafka kafka = EmbeddedKafka.startNew(proxy.port())) {
            proxy.relayTo(kafka.port());
            kafka.createTopics(frames + ":3", p + ".node-metrics");
            KafkaEmitterConfig config = config("localhost:" + proxy.port(), p, spoolDir, 64 << 20);

            KafkaEventEmitter first = new KafkaEventEmitter(config, new SimpleMeterRegistry());
            emit(first, 0, BEFORE);
            await().atMost(LONG).until(() -> first.stats().sent() == CONNECTIONS * BEFORE
                    && first.stats().spooled() == 0);

            proxy.holdResponses(); // the producer's connections: requests go through, acknowledgements do not
            emit(first, BEFORE, BEFORE + HELD);
            await().atMost(LONG).until(() -> recordsIn(kafka, frames) > CONNECTIONS * BEFORE); // written, unacknowledged
            kafka.stop(); // dies holding them
            await().atMost(LONG).until(() -> !first.stats().kafkaUp()
                    && first.stats().spooled() == CONNECTIONS * HELD);
            assertThat(first.stats().sent()).as("none of the held records was acknowledged")
                    .isEqualTo(CONNECTIONS * BEFORE);
            first.close(); // Kafka away: they stay in the spool

            kafka.restart();
            long held = recordsIn(kafka, frames) - CONNECTIONS * BEFORE;
            assertThat(held).as("records the broker wrote without acknowledging").isBetween(1L, (long) CONNECTIONS * HELD);

            try (KafkaEventEmitter second = new KafkaEventEmitter(config, new SimpleMeterRegistry())) {
                await().atMost(LONG).until(() -> second.stats().sent() == CONNECTIONS * HELD
                        && second.stats().spooled() == 0);
                assertThat(second.stats().dropped()).isZero();
            }
            int total = CONNECTIONS * (BEFORE + HELD) + (int) held;
            List<FrameEvent> arrived = readFrames(kafka.bootstrapServers(), frames, total);
            assertThat(arrived).hasSize(total);

            Set<String> ids = new HashSet<>();
            long duplicates = arrived.stream().filter(e -> !ids.add(e.connectionId() + "/" + e.seq())).count();
            assertThat(duplicates).as("exactly the records held unacknowledged").isEqualTo(held);
            Map<String, List<Long>> seqs = seqsByConnection(arrived);
            long repeated = 0;
            for (int c = 0; c < CONNECTIONS; c++) {
                List<Long> got = seqs.get("c" + c);
                int run = got.size() - (BEFORE + HELD); // this key's duplicates
                assertThat(run).isBetween(0, HELD);
                List<Long> expected = new ArrayList<>(range(0, BEFORE + run)); // acknowledged, then held
                expected.addAll(range(BEFORE, BEFORE + HELD)); // sent again from the oldest unacknowledged, once
                assertThat(got).as("connection c%d", c).isEqualTo(expected);
                assertThat(got.stream().distinct().toList()).isEqualTo(range(0, BEFORE + HELD));
                repeated += run;
            }
            assertThat(repeated).isEqualTo(held);
            System.out.printf("the broker died holding %d of %d unacknowledged records; %d duplicates%n", held,
                    CONNECTIONS * HELD, duplicates);
        }
    }

    private static void emit(KafkaEventEmitter emitter, int fromSeq, int toSeq) {
        for (int seq = fromSeq; seq < toSeq; seq++) {
            for (int c = 0; c < CONNECTIONS; c++) {
                emitter.emitFrame(frame("c" + c, seq));
            }
        }
    }

    /** Records in the topic's log, asked of the broker on a new connection (which the proxy relays both ways). */
    private static long recordsIn(EmbeddedKafka kafka, String topic) throws Exception {
        try (Admin admin = kafka.admin()) {
            Set<TopicPartition> parts = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                    .partitions().stream().map(i -> new TopicPartition(topic, i.partition()))
                    .collect(Collectors.toSet());
            return admin.listOffsets(parts.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
                    .all().get().values().stream().mapToLong(i -> i.offset()).sum();
        }
    }
}
