package qp.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static qp.gateway.events.SenderHarness.PROBE_INTERVAL;
import static qp.gateway.events.SenderHarness.seqs;

import java.time.Duration;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The spool as the sender uses it: read again from its oldest unacknowledged row when sending it fails, and what is
 * left at close either sent (Kafka up) or kept in order (Kafka away). A {@link MemorySpool} behind the harness.
 */
class EmitterSenderSpoolTest {
    @Test
    void aFailureWhileTheSpoolIsSentReadsItAgainFromTheOldestUnacknowledgedRow() throws Exception {
        SenderHarness h = new SenderHarness(Duration.ofSeconds(60));
        h.emit(0, 1);
        h.settle();
        h.liveness.answer = false;
        h.producers.get(0).errorNext(new TimeoutException("test: away"));
        h.settle();
        assertThat(h.meters.kafkaUp.get()).isZero();
        h.emit(1, 12_001); // three chunks' worth
        h.settle();
        assertThat(h.meters.spooled.get()).isEqualTo(12_001);

        h.liveness.answer = true;
        h.advance(PROBE_INTERVAL);
        MockProducer<byte[], byte[]> second = h.producers.get(1);
        assertThat(second.history()).as("chunks pipelined, no ack yet").hasSize(12_001);
        for (int i = 0; i < 7_000; i++) {
            second.completeNext();
        }
        second.errorNext(new TimeoutException("test: away again")); // seq 7000
        h.settle();
        assertThat(h.meters.spooled.get()).isEqualTo(5_001);
        h.advance(PROBE_INTERVAL);
        MockProducer<byte[], byte[]> third = h.producers.get(2);
        assertThat(third.history()).hasSize(5_001);
        h.acknowledgeAll(third);
        assertThat(h.meters.sent.get()).isEqualTo(12_001);
        assertThat(h.meters.spooled.get()).isZero();
        assertThat(seqs(second)).isEqualTo(EmitterTestEvents.range(0, 12_001));
        assertThat(seqs(third)).isEqualTo(EmitterTestEvents.range(7_000, 12_001));
        assertThat(h.meters.droppedTotal()).isZero();
    }

    @Test
    void closeSendsWhatIsLeftWhileKafkaIsUpAndSpoolsItWhenKafkaIsAway() throws Exception {
        SenderHarness h = new SenderHarness(Duration.ofSeconds(60));
        h.emit(0, 5);
        h.settle();
        h.acknowledgeAll(h.producers.get(0));
        long noAnswers = h.sender.beginClose(h.now);
        assertThat(h.sender.closeSettled(noAnswers)).as("Kafka up, nothing left").isTrue();

        SenderHarness away = new SenderHarness(Duration.ofSeconds(60));
        away.emit(0, 5);
        away.settle();
        away.liveness.answer = false;
        away.producers.get(0).errorNext(new TimeoutException("test: away"));
        away.settle();
        away.emit(5, 8);
        long before = away.sender.beginClose(away.now);
        away.settle();
        assertThat(away.sender.closeSettled(before)).as("the probe said no: nothing to wait for").isTrue();
        away.sender.endClose(away.now);
        assertThat(away.meters.spooled.get()).isEqualTo(8);
        assertThat(away.spool.head(0, 100)).extracting(OutRecord::lseq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    }
}
