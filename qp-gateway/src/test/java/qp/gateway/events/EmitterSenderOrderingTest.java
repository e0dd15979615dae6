package qp.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static qp.gateway.events.SenderHarness.PROBE_INTERVAL;
import static qp.gateway.events.SenderHarness.seqs;

import java.time.Duration;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Where the sender puts each event and in which order Kafka gets it: straight to the producer while Kafka is up, held
 * in memory (not spooled) at the in-flight cap, and after a failure the unacknowledged rest first, then what came
 * during the outage. Stepped on the test thread with {@link SenderHarness}; nothing waits for a thread or a clock.
 */
class EmitterSenderOrderingTest {
    @Test
    void aFailureInTheMiddleSendsTheRestAgainFirstThenWhatCameDuringTheOutage() throws Exception {
        SenderHarness h = new SenderHarness(Duration.ofSeconds(60));
        h.emit(0, 100);
        h.settle();
        assertThat(h.producers).hasSize(1);
        MockProducer<byte[], byte[]> first = h.producers.get(0);
        assertThat(first.history()).hasSize(100);
        for (int i = 0; i < 30; i++) {
            first.completeNext();
        }
        h.liveness.answer = false;
        first.errorNext(new TimeoutException("test: the broker went away")); // seq 30 fails, 31..99 pending
        h.settle();
        assertThat(h.sender.state()).isEqualTo(SenderState.PROBING);
        assertThat(first.closed()).as("aborted at once").isTrue();
        assertThat(h.meters.kafkaUp.get()).isZero();
        assertThat(h.meters.spooled.get()).isEqualTo(70);
        assertThat(h.meters.sent.get()).isEqualTo(30);

        h.emit(100, 150); // while away: behind the 70
        h.settle();
        assertThat(h.meters.spooled.get()).isEqualTo(120);
        h.liveness.answer = true;
        h.advance(PROBE_INTERVAL);
        assertThat(h.sender.state()).isEqualTo(SenderState.DRAINING_SPOOL);
        assertThat(h.producers).hasSize(2);
        MockProducer<byte[], byte[]> second = h.producers.get(1);
        assertThat(second.history()).hasSize(120);
        h.acknowledgeAll(second);
        assertThat(h.meters.sent.get()).isEqualTo(150);
        assertThat(h.meters.spooled.get()).isZero();
        assertThat(h.sender.state()).isEqualTo(SenderState.DIRECT);
        assertThat(seqs(first)).isEqualTo(EmitterTestEvents.range(0, 100));
        assertThat(seqs(second)).isEqualTo(EmitterTestEvents.range(30, 150));

        h.emit(150, 160); // the spool is drained: straight to the producer again
        h.settle();
        assertThat(seqs(second).subList(120, 130)).isEqualTo(EmitterTestEvents.range(150, 160));
        assertThat(h.meters.spoolWrites.get()).isEqualTo(120);
        assertThat(h.warnings).singleElement().asString().startsWith("Kafka at mock:9092 is unreachable");
    }

    @Test
    void withKafkaUpAndTheInFlightCapReachedNewerEventsWaitInMemoryNotInTheSpool() throws Exception {
        int cap = EmitterSender.IN_FLIGHT_CAP;
        SenderHarness h = new SenderHarness(Duration.ofSeconds(60));
        h.emit(0, cap + 5_000);
        h.settle();
        MockProducer<byte[], byte[]> producer = h.producers.get(0);
        assertThat(producer.history()).as("the rest waits in the memory queue").hasSize(cap);
        assertThat(h.queue.size()).isEqualTo(5_000);
        assertThat(h.meters.spoolWrites.get()).isZero();

        for (int i = 0; i < 3_000; i++) {
            producer.completeNext();
        }
        h.settle();
        assertThat(producer.history()).as("room for 3 000 more").hasSize(cap + 3_000);
        assertThat(h.queue.size()).isEqualTo(2_000);
        h.acknowledgeAll(producer);
        assertThat(h.meters.sent.get()).isEqualTo(cap + 5_000);
        assertThat(seqs(producer)).as("each once, in order").isEqualTo(EmitterTestEvents.range(0, cap + 5_000));
        assertThat(h.meters.spoolWrites.get()).as("nothing went to the spool").isZero();
        assertThat(h.meters.droppedTotal()).isZero();
        assertThat(h.producers).hasSize(1);
    }
}
