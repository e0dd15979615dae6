package qp.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static qp.gateway.events.SenderHarness.PROBE_INTERVAL;
import static qp.gateway.events.SenderHarness.seqs;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The old EmitterSenderTest flake, a stale failure left raised after an outage was handled, forced both ways it can
 * happen: a failure callback held halfway while the sender steps, and a late callback of an aborted producer. In
 * both the next producer must get everything, in order.
 */
class EmitterSenderStaleFailureTest {
    /**
     * The old flake, forced: the sender must not see a record FAILED before the failure is raised. The producer's
     * callback runs on another thread and is held inside, at the exception's message (read before the failure is
     * raised), while the test steps the sender; then it is let go.
     */
    @Test
    void aFailureCallbackHeldHalfwayIsNotSeenUntilItHasFinished() throws Exception {
        SenderHarness h = new SenderHarness(Duration.ofSeconds(60));
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
        SenderHarness h = new SenderHarness(Duration.ofSeconds(60));
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
}
