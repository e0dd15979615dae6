package qp.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Accounting of what cannot be delivered: a record Kafka refuses for good, a full spool and a spool write error are
 * each dropped and counted by reason, and reported in a warning at most every ten seconds; none of them is an outage
 * unless Kafka is away.
 */
class EmitterSenderDropsTest {
    @Test
    void aRecordKafkaRefusesForGoodIsDroppedAndCountedWithoutAnOutage() throws Exception {
        SenderHarness h = new SenderHarness(Duration.ofSeconds(60));
        MockProducer<byte[], byte[]> producer = tenSentThreeAcknowledged(h);
        producer.errorNext(new RecordTooLargeException("test: too large"));
        h.acknowledgeAll(producer);
        assertThat(h.meters.sent.get()).isEqualTo(9);
        assertThat(h.meters.dropped(DropReason.REJECTED)).isEqualTo(1);
        assertThat(producer.closed()).isFalse();
        assertThat(h.meters.kafkaUp.get()).isEqualTo(1);
        assertThat(h.meters.spooled.get()).isZero();
    }

    @Test
    void acknowledgementsAreCountedInRoundsAndStillBeforeAnOutageTakesKafkaAway() throws Exception {
        SenderHarness h = new SenderHarness(Duration.ofSeconds(60));
        MockProducer<byte[], byte[]> producer = tenSentThreeAcknowledged(h);
        h.settle();
        assertThat(h.meters.sent.get()).isEqualTo(3);
        assertThat(h.meters.kafkaUp.get()).isEqualTo(1);
        producer.completeNext(); // acknowledged in the same round in which Kafka is found away
        h.liveness.answer = false;
        producer.errorNext(new TimeoutException("test: away"));
        h.settle();
        assertThat(h.meters.sent.get()).as("the 4 acknowledged").isEqualTo(4);
        assertThat(h.meters.kafkaUp.get()).as("away after the acknowledgements were counted").isZero();
        assertThat(h.meters.spooled.get()).as("the 6 not acknowledged").isEqualTo(10 - 4);
        assertThat(h.meters.droppedTotal()).isZero();
    }

    @Test
    void whatTheSpoolCannotHoldIsDroppedCountedAndReportedAtMostEveryTenSeconds() throws Exception {
        SenderHarness h = new SenderHarness(Duration.ofSeconds(60), 40_000); // about 130 frame events
        h.liveness.answer = false;
        h.emit(0, 1);
        h.settle();
        h.producers.get(0).errorNext(new TimeoutException("test: away"));
        h.settle();
        h.emit(1, 1_000);
        h.advance(Duration.ofMillis(100)); // the counters are summed at most every 100 ms
        long spooled = h.meters.spooled.get();
        assertThat(spooled).isPositive();
        assertThat(spooled + h.meters.dropped(DropReason.SPOOL_FULL)).isEqualTo(1_000);
        assertThat(h.warnings.get(h.warnings.size() - 1)).startsWith("dropped " + (1_000 - spooled) + " events")
                .contains("spool_full=" + (1_000 - spooled)).contains("Kafka away");
        int warned = h.warnings.size();
        h.emit(1_000, 1_010);
        h.advance(Duration.ofSeconds(9));
        assertThat(h.warnings).as("not again within 10 s").hasSize(warned);
        h.advance(Duration.ofSeconds(1));
        assertThat(h.warnings).hasSize(warned + 1);
        assertThat(h.warnings.get(warned)).startsWith("dropped 10 events");

        h.spool.failNextAppend = true; // a disk error: the whole batch is counted
        h.emit(1_010, 1_015);
        h.settle();
        assertThat(h.meters.dropped(DropReason.SPOOL_ERROR)).isEqualTo(5);
        assertThat(h.meters.spooled.get()).isEqualTo(spooled);
    }

    /** Ten events handed to the first producer, the first three of them acknowledged. */
    private static MockProducer<byte[], byte[]> tenSentThreeAcknowledged(SenderHarness h) throws Exception {
        h.emit(0, 10);
        h.settle();
        MockProducer<byte[], byte[]> producer = h.producers.get(0);
        for (int i = 0; i < 3; i++) {
            producer.completeNext();
        }
        return producer;
    }
}
