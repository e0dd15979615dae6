package qp.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static qp.gateway.events.SenderHarness.PROBE_INTERVAL;
import static qp.gateway.events.SenderHarness.seqs;

import java.time.Duration;
import org.apache.kafka.clients.producer.MockProducer;
import org.junit.jupiter.api.Test;

/**
 * Stall detection and the liveness probe: a producer that stops acknowledging is STALLED (newer events spooled) while
 * the probe says Kafka answers, aborted when the probe says it does not, and aborted anyway once the stall outlasts
 * half the delivery timeout. Time is the harness's, stepped by the test ({@link SenderHarness}).
 */
class EmitterSenderStallTest {
    @Test
    void aStallWhileKafkaAnswersSpoolsNewerEventsButDoesNotAbort() throws Exception {
        SenderHarness h = new SenderHarness(Duration.ofMillis(200));
        h.emit(0, 10);
        h.settle();
        MockProducer<byte[], byte[]> producer = h.producers.get(0);
        assertThat(producer.history()).hasSize(10);
        h.advance(Duration.ofMillis(200));
        assertThat(h.sender.state()).as("not more than the stall timeout").isEqualTo(SenderState.DIRECT);
        h.advance(Duration.ofMillis(1));
        assertThat(h.sender.state()).isEqualTo(SenderState.STALLED);
        h.emit(10, 20); // newer events wait in the spool
        h.settle();
        assertThat(h.meters.spooled.get()).isEqualTo(10);
        h.advance(Duration.ofSeconds(5)); // and it stays slow, answering every probe
        assertThat(producer.closed()).as("Kafka answers the probe: nothing aborted").isFalse();
        assertThat(h.sender.state()).isEqualTo(SenderState.STALLED);

        h.acknowledgeAll(producer); // the slow broker catches up
        assertThat(h.meters.sent.get()).isEqualTo(20);
        assertThat(h.meters.spooled.get()).isZero();
        assertThat(h.sender.state()).isEqualTo(SenderState.DIRECT);
        assertThat(h.producers).hasSize(1);
        assertThat(seqs(producer)).as("each once, in order").isEqualTo(EmitterTestEvents.range(0, 20));
        assertThat(h.warnings).as("no outage").isEmpty();
    }

    @Test
    void aStallWhileKafkaIsSilentAbortsAndSendsEverythingAgainInOrder() throws Exception {
        SenderHarness h = new SenderHarness(Duration.ofMillis(200));
        h.emit(0, 10);
        h.settle();
        MockProducer<byte[], byte[]> first = h.producers.get(0);
        h.liveness.answer = false;
        h.advance(Duration.ofMillis(201));
        assertThat(first.closed()).isTrue();
        assertThat(h.sender.state()).isEqualTo(SenderState.PROBING);
        assertThat(h.meters.spooled.get()).isEqualTo(10);
        assertThat(h.meters.kafkaUp.get()).isZero();
        h.liveness.answer = true;
        h.advance(PROBE_INTERVAL);
        MockProducer<byte[], byte[]> second = h.producers.get(1);
        assertThat(second.history()).hasSize(10);
        h.acknowledgeAll(second);
        assertThat(h.meters.sent.get()).isEqualTo(10);
        assertThat(h.meters.spooled.get()).isZero();
        assertThat(seqs(second)).isEqualTo(EmitterTestEvents.range(0, 10));
    }

    @Test
    void aStallThatOutlastsHalfTheDeliveryTimeoutIsAbortedEvenWhileKafkaAnswers() throws Exception {
        SenderHarness h = new SenderHarness(Duration.ofSeconds(3));
        h.emit(0, 10);
        h.settle();
        MockProducer<byte[], byte[]> first = h.producers.get(0);
        h.advance(Duration.ofSeconds(4));
        assertThat(h.sender.state()).isEqualTo(SenderState.STALLED);
        for (int s = 0; s < 55; s++) { // the probe keeps answering: slow, not away
            h.advance(Duration.ofSeconds(1));
        }
        assertThat(first.closed()).isFalse();
        h.advance(Duration.ofSeconds(2)); // 61 s > 120 s / 2
        assertThat(first.closed()).isTrue();
        assertThat(h.meters.spooled.get()).isEqualTo(10);
        assertThat(h.warnings).singleElement().asString().contains("no acknowledgement within 60000 ms although Kafka"
                + " answers");
        h.advance(PROBE_INTERVAL); // it answers: the spool goes to a new producer, oldest first
        assertThat(seqs(h.producers.get(1))).isEqualTo(EmitterTestEvents.range(0, 10));
    }
}
