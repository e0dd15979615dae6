package qp.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import qp.protocol.events.FrameEvent;
import qp.protocol.json.QpJson;

/**
 * The sender's state machine and ordering rules, stepped on the test thread with a time the test sets: a producer
 * whose acknowledgements the test hands out one by one (MockProducer), a liveness probe the test answers and an
 * in-memory spool. Nothing here waits for a thread or a clock.
 */
class EmitterSenderTest {
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(20);

    @Test
    void aFailureInTheMiddleSendsTheRestAgainFirstThenWhatCameDuringTheOutage() throws Exception {
        Harness h = new Harness(Duration.ofSeconds(60));
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
    void aStallWhileKafkaAnswersSpoolsNewerEventsButDoesNotAbort() throws Exception {
        Harness h = new Harness(Duration.ofMillis(200));
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
    void aStallThatOutlastsHalfTheDeliveryTimeoutIsAbortedEvenWhileKafkaAnswers() throws Exception {
        Harness h = new Harness(Duration.ofSeconds(3));
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

    @Test
    void withKafkaUpAndTheInFlightCapReachedNewerEventsWaitInMemoryNotInTheSpool() throws Exception {
        int cap = EmitterSender.IN_FLIGHT_CAP;
        Harness h = new Harness(Duration.ofSeconds(60));
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

    @Test
    void aStallWhileKafkaIsSilentAbortsAndSendsEverythingAgainInOrder() throws Exception {
        Harness h = new Harness(Duration.ofMillis(200));
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
    void aFailureWhileTheSpoolIsSentReadsItAgainFromTheOldestUnacknowledgedRow() throws Exception {
        Harness h = new Harness(Duration.ofSeconds(60));
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
    void aRecordKafkaRefusesForGoodIsDroppedAndCountedWithoutAnOutage() throws Exception {
        Harness h = new Harness(Duration.ofSeconds(60));
        h.emit(0, 10);
        h.settle();
        MockProducer<byte[], byte[]> producer = h.producers.get(0);
        for (int i = 0; i < 3; i++) {
            producer.completeNext();
        }
        producer.errorNext(new RecordTooLargeException("test: too large"));
        h.acknowledgeAll(producer);
        assertThat(h.meters.sent.get()).isEqualTo(9);
        assertThat(h.meters.dropped(DropReason.REJECTED)).isEqualTo(1);
        assertThat(producer.closed()).isFalse();
        assertThat(h.meters.kafkaUp.get()).isEqualTo(1);
        assertThat(h.meters.spooled.get()).isZero();
    }

    @Test
    void whatTheSpoolCannotHoldIsDroppedCountedAndReportedAtMostEveryTenSeconds() throws Exception {
        Harness h = new Harness(Duration.ofSeconds(60), 40_000); // about 130 frame events
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

    @Test
    void closeSendsWhatIsLeftWhileKafkaIsUpAndSpoolsItWhenKafkaIsAway() throws Exception {
        Harness h = new Harness(Duration.ofSeconds(60));
        h.emit(0, 5);
        h.settle();
        h.acknowledgeAll(h.producers.get(0));
        long noAnswers = h.sender.beginClose(h.now);
        assertThat(h.sender.closeSettled(noAnswers)).as("Kafka up, nothing left").isTrue();

        Harness away = new Harness(Duration.ofSeconds(60));
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

    /**
     * The old flake, forced: the sender must not see a record FAILED before the failure is raised. The producer's
     * callback runs on another thread and is held inside, at the exception's message (read before the failure is
     * raised), while the test steps the sender; then it is let go.
     */
    @Test
    void aFailureCallbackHeldHalfwayIsNotSeenUntilItHasFinished() throws Exception {
        Harness h = new Harness(Duration.ofSeconds(60));
        h.emit(0, 10);
        h.settle();
        MockProducer<byte[], byte[]> first = h.producers.get(0);
        h.liveness.answer = false;
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread io = new Thread(() -> first.errorNext(new HeldBackTimeout(inside, release)), "test-producer-io");
        io.start();
        assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
        h.settle(); // the sender runs while the callback is halfway
        assertThat(h.sender.state()).as("the record is not published failed yet").isEqualTo(SenderState.DIRECT);
        release.countDown();
        io.join();
        h.settle();
        assertThat(h.sender.state()).isEqualTo(SenderState.PROBING);
        assertThat(h.meters.spooled.get()).isEqualTo(10);
        h.liveness.answer = true;
        h.advance(PROBE_INTERVAL);
        assertThat(h.producers).hasSize(2);
        assertThat(seqs(h.producers.get(1))).as("the next producer is not stopped by a stale failure")
                .isEqualTo(EmitterTestEvents.range(0, 10));
    }

    /** The other way to a stale failure: a callback of the aborted producer that comes after the outage. */
    @Test
    void aLateFailureOfAnAbortedProducerDoesNotStopTheNextOne() throws Exception {
        Harness h = new Harness(Duration.ofSeconds(60));
        h.emit(0, 10);
        h.settle();
        MockProducer<byte[], byte[]> first = h.producers.get(0);
        h.liveness.answer = false;
        first.errorNext(new TimeoutException("test: away"));
        h.settle();
        assertThat(first.closed()).isTrue();
        first.errorNext(new TimeoutException("test: late")); // MockProducer.close does not fail what it holds
        h.liveness.answer = true;
        h.advance(PROBE_INTERVAL);
        assertThat(seqs(h.producers.get(1))).isEqualTo(EmitterTestEvents.range(0, 10));
        h.acknowledgeAll(h.producers.get(1));
        assertThat(h.meters.sent.get()).isEqualTo(10);
    }

    private static List<Long> seqs(MockProducer<byte[], byte[]> producer) {
        return producer.history().stream().map(r -> {
            try {
                return QpJson.read(r.value(), FrameEvent.class).seq();
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    /** A retriable error whose message, read on the thread that made it, waits to be released. */
    static final class HeldBackTimeout extends TimeoutException {
        private final transient Thread holder = Thread.currentThread();
        private final transient CountDownLatch inside;
        private final transient CountDownLatch release;

        HeldBackTimeout(CountDownLatch inside, CountDownLatch release) {
            super("test: the broker went away");
            this.inside = inside;
            this.release = release;
        }

        @Override
        public String getMessage() {
            if (Thread.currentThread() == holder) {
                inside.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.getMessage();
        }
    }

    /** Kafka as the test says it is: the probe's answer, given at the poll after a question starts. */
    static final class FakeLiveness implements KafkaLiveness {
        volatile boolean answer = true;
        private boolean running;

        @Override
        public void start() {
            running = true;
        }

        @Override
        public boolean running() {
            return running;
        }

        @Override
        public Boolean result() {
            if (!running) {
                return null;
            }
            running = false;
            return answer;
        }

        @Override
        public void forget() {
            running = false;
        }

        @Override
        public void close() {
            running = false;
        }
    }

    /** A sender stepped by the test at a time the test sets, with mock producers, the fake probe and a memory spool. */
    static final class Harness {
        final BoundedEventQueue queue = new BoundedEventQueue(200_000);
        final FakeLiveness liveness = new FakeLiveness();
        final List<MockProducer<byte[], byte[]>> producers = new CopyOnWriteArrayList<>();
        final EmitterMeters meters = new EmitterMeters(new SimpleMeterRegistry(), queue::size);
        final List<String> warnings = new CopyOnWriteArrayList<>();
        final MemorySpool spool;
        final EmitterSender sender;
        long now = 1_000_000_000L;

        Harness(Duration stall) throws Exception {
            this(stall, 64 << 20);
        }

        Harness(Duration stall, long spoolMaxBytes) throws Exception {
            spool = new MemorySpool(spoolMaxBytes);
            KafkaEmitterConfig config = EmitterTestEvents.config("mock:9092", "t", java.nio.file.Path.of("unused"),
                    spoolMaxBytes).withTimeouts(stall, PROBE_INTERVAL, Duration.ofSeconds(1));
            sender = new EmitterSender(config, queue, spool, liveness, () -> {
                MockProducer<byte[], byte[]> p = new MockProducer<>(false, null, new ByteArraySerializer(),
                        new ByteArraySerializer());
                producers.add(p);
                return p;
            }, 120_000, meters, warnings::add, now);
            settle();
            assertThat(sender.state()).as("the first probe answered").isEqualTo(SenderState.DIRECT);
        }

        void emit(long fromSeq, long toSeq) {
            for (long seq = fromSeq; seq < toSeq; seq++) {
                assertThat(queue.offer(EmitterTestEvents.frame("c0", seq))).isTrue();
            }
        }

        /** Steps without moving time until three steps in a row find nothing to do. */
        void settle() {
            int idle = 0;
            for (int i = 0; i < 100_000 && idle < 3; i++) {
                idle = sender.step(now) ? 0 : idle + 1;
            }
            assertThat(idle).as("the sender comes to rest").isEqualTo(3);
        }

        /** Moves time in steps of at most the probe interval, settling after each. */
        void advance(Duration d) {
            long left = d.toNanos();
            while (left > 0) {
                long by = Math.min(left, PROBE_INTERVAL.toNanos());
                now += by;
                left -= by;
                settle();
            }
        }

        /** Kafka acknowledges everything it was given, including what the sender hands it meanwhile. */
        void acknowledgeAll(MockProducer<byte[], byte[]> producer) {
            do {
                while (producer.completeNext()) {
                    // acknowledge
                }
                settle();
            } while (producer.completeNext() || !queue.isEmpty());
            settle();
        }
    }
}
