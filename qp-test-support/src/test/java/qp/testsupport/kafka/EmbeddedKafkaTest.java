package qp.testsupport.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import qp.broker.EmbeddedKafka;

class EmbeddedKafkaTest {

    @Test
    void keepsRecordsAcrossStopAndRestart() {
        try (EmbeddedKafka kafka = EmbeddedKafka.startNew()) {
            kafka.createTopics("t1");
            KafkaRecords.send(kafka.bootstrapServers(), "t1",
                    List.of(KafkaRecords.record("t1", "k", "before".getBytes(StandardCharsets.UTF_8))));
            kafka.stop();
            assertThat(kafka.isRunning()).isFalse();
            kafka.restart();
            kafka.awaitReady(Duration.ofSeconds(60));
            KafkaRecords.send(kafka.bootstrapServers(), "t1",
                    List.of(KafkaRecords.record("t1", "k", "after".getBytes(StandardCharsets.UTF_8))));
            var records = KafkaRecords.readFromStart(kafka.bootstrapServers(), "t1", 2, Duration.ofSeconds(30), true);
            assertThat(records).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .containsExactly("before", "after");
        }
    }
}
