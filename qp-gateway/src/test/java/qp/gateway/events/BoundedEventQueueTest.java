package qp.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BoundedEventQueueTest {

    @Test
    void refusesPastCapacityAndGivesBackInOrder() {
        BoundedEventQueue q = new BoundedEventQueue(3);
        assertThat(q.offer("a")).isTrue();
        assertThat(q.offer("b")).isTrue();
        assertThat(q.offer("c")).isTrue();
        assertThat(q.offer("d")).isFalse();
        assertThat(q.size()).isEqualTo(3);
        List<Object> out = new ArrayList<>();
        assertThat(q.drainTo(out, 2)).isEqualTo(2);
        assertThat(q.offer("e")).isTrue();
        q.drainTo(out, 10);
        assertThat(out).containsExactly("a", "b", "c", "e");
        assertThat(q.size()).isZero();
        assertThat(q.isEmpty()).isTrue();
    }

    @Test
    void keepsTheCapacityExactlyAndTheOrderAcrossManyLapsOfTheRing() {
        int capacity = 5; // not a power of two: the ring has 8 slots, the bound stays 5
        BoundedEventQueue q = new BoundedEventQueue(capacity);
        List<Object> out = new ArrayList<>();
        int next = 0;
        int expected = 0;
        for (int round = 0; round < 50; round++) {
            int accepted = 0;
            while (q.offer(next)) {
                next++;
                accepted++;
            }
            assertThat(q.size()).isEqualTo(capacity);
            assertThat(accepted).isEqualTo(round == 0 ? capacity : 1 + round % 3);
            out.clear();
            int take = 1 + (round + 1) % 3; // drain a little each round, so positions wrap at every offset
            assertThat(q.drainTo(out, take)).isEqualTo(take);
            for (Object o : out) {
                assertThat(o).isEqualTo(expected++);
            }
            assertThat(q.size()).isEqualTo(capacity - take);
        }
        out.clear();
        q.drainTo(out, Integer.MAX_VALUE);
        for (Object o : out) {
            assertThat(o).isEqualTo(expected++);
        }
        assertThat(expected).isEqualTo(next);
        assertThat(q.isEmpty()).isTrue();
    }

    @Test
    void refusesACapacityItCannotHold() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new BoundedEventQueue(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentProducersLoseNothingTheyWereToldWasAccepted() throws Exception {
        BoundedEventQueue q = new BoundedEventQueue(1_000);
        int threads = 4;
        int perThread = 200_000;
        AtomicLong accepted = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    if (q.offer(new long[] {id, i})) {
                        accepted.incrementAndGet();
                    }
                }
            });
            th.start();
            producers.add(th);
        }
        long[] lastSeen = {-1, -1, -1, -1};
        long drained = 0;
        start.countDown();
        List<Object> batch = new ArrayList<>();
        while (producers.stream().anyMatch(Thread::isAlive) || !q.isEmpty()) {
            batch.clear();
            drained += q.drainTo(batch, 512);
            for (Object o : batch) {
                long[] e = (long[]) o;
                assertThat(e[1]).as("per producer, FIFO").isGreaterThan(lastSeen[(int) e[0]]);
                lastSeen[(int) e[0]] = e[1];
            }
            assertThat(q.size()).isLessThanOrEqualTo(1_000 + threads);
        }
        assertThat(drained).isEqualTo(accepted.get());
        assertThat(q.size()).isZero();
    }
}
