package qp.job.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The sampler alone, over a map: its horizon, bound, equal shares per time bucket and uniformity within one. */
class RecentSampleTest {
    private static final long MINUTE = 60_000;

    private final Map<Integer, TrainingRow> store = new HashMap<>();
    private final RecentSample.Rows rows = new RecentSample.Rows() {
        @Override
        public TrainingRow get(int slot) {
            return store.get(slot);
        }

        @Override
        public void put(int slot, TrainingRow row) {
            store.put(slot, row);
        }

        @Override
        public void remove(int slot) {
            store.remove(slot);
        }

        @Override
        public void clear() {
            store.clear();
        }
    };
    private long[] buckets;
    private final Random random = new Random(7);

    private RecentSample sampler(int size, long horizonMillis) {
        RecentSample s = new RecentSample(size, horizonMillis);
        buckets = s.emptyBuckets();
        return s;
    }

    /** A row whose latency field carries its sequence number, so a test can tell which frames were kept. */
    private static TrainingRow row(long eventTimeMillis, long sequence) {
        return new TrainingRow("DATA", 100, 107, false, 1000, 0.5, 1 << 20, 4, 8192, 30_000, 0, 1000, 1 << 20, 1,
                sequence, eventTimeMillis);
    }

    /** {@code perSecond} frames a second from {@code fromMillis} for {@code seconds}; returns the next sequence number. */
    private long offer(RecentSample s, long fromMillis, int seconds, int perSecond, long sequence) throws Exception {
        for (int sec = 0; sec < seconds; sec++) {
            for (int i = 0; i < perSecond; i++) {
                s.offer(row(fromMillis + sec * 1000L + i * 1000L / perSecond, sequence++), buckets, rows, random);
            }
        }
        return sequence;
    }

    @Test
    void aFastNodeKeepsTheWholeHorizonNotItsLastSeconds() throws Exception {
        RecentSample s = sampler(1000, 10 * MINUTE);
        offer(s, 0, 30 * 60, 200, 0); // 30 min at 200 frames/s: the last 1,000 frames would be 5 s

        List<TrainingRow> kept = s.rows(buckets, rows);
        long newest = 30 * MINUTE - 1;

        assertThat(kept).hasSize(1000).hasSize(RecentSample.size(buckets)).hasSize(store.size());
        assertThat(kept).allSatisfy(r -> assertThat(r.eventTimeMillis()).isGreaterThan(newest - 10 * MINUTE));
        assertThat(s.spanMillis(buckets)).isEqualTo(10 * MINUTE);
        long oldest = kept.stream().mapToLong(TrainingRow::eventTimeMillis).min().orElseThrow();
        assertThat(newest - oldest).isGreaterThan(9 * MINUTE);
        for (int b = 0; b < RecentSample.BUCKETS; b++) { // each 30 s of the horizon holds its equal share
            long from = 20 * MINUTE + b * 30_000L;
            assertThat(kept.stream().filter(r -> r.eventTimeMillis() >= from && r.eventTimeMillis() < from + 30_000))
                    .hasSize(50);
        }
    }

    @Test
    void aBurstFillsItsOwnBucketsAndNoMore() throws Exception {
        RecentSample s = sampler(1000, 10 * MINUTE);
        long seq = offer(s, 0, 9 * 60, 5, 0);      // 9 quiet minutes at 5 frames/s
        offer(s, 9 * MINUTE, 60, 2000, seq);          // then a minute at 2,000 frames/s: 120,000 frames

        List<TrainingRow> kept = s.rows(buckets, rows);

        assertThat(kept).hasSize(1000);
        long burst = kept.stream().filter(r -> r.eventTimeMillis() >= 9 * MINUTE).count();
        assertThat(burst).isEqualTo(100); // its 2 buckets of 20, not 99% of the sample
    }

    @Test
    void theSampleIsBoundedAndFramesOlderThanTheHorizonAreNotAdmitted() throws Exception {
        RecentSample s = sampler(300, 10 * MINUTE);
        offer(s, 0, 3600, 50, 0); // an hour at 50 frames/s
        assertThat(store).hasSize(300);

        assertThat(s.offer(row(30 * MINUTE, -1), buckets, rows, random)).isFalse();
        assertThat(store).hasSize(300);
        assertThat(s.rows(buckets, rows)).noneMatch(r -> r.latencyMicros() == -1);
    }

    @Test
    void aBucketKeepsAUniformSampleOfItsFrames() throws Exception {
        RecentSample s = sampler(RecentSample.BUCKETS * 200, 10 * MINUTE);
        for (int i = 0; i < 20_000; i++) { // 20,000 frames in one 30 s bucket, the only one: it keeps 4,000
            s.offer(row(i, i), buckets, rows, random);
        }
        s.offer(row(30_000, 20_000), buckets, rows, random); // a second bucket opens: the first shrinks to 2,000

        List<TrainingRow> first = s.rows(buckets, rows).stream().filter(r -> r.eventTimeMillis() < 30_000).toList();
        double meanSequence = first.stream().mapToLong(TrainingRow::latencyMicros).average().orElseThrow();
        long lateHalf = first.stream().filter(r -> r.latencyMicros() >= 10_000).count();

        assertThat(first).hasSize(RecentSample.BUCKETS * 200 / 2);
        assertThat(meanSequence).isBetween(9_000.0, 11_000.0); // a recency-only sample would sit near 19,000
        assertThat(lateHalf).isBetween(900L, 1100L);
    }

    @Test
    void aRestartWithAnotherSizeKeepsTheRowsAndAnotherHorizonStartsOver() throws Exception {
        RecentSample before = sampler(1000, 10 * MINUTE);
        offer(before, 0, 600, 20, 0);
        assertThat(store).hasSize(1000);

        RecentSample smaller = new RecentSample(500, 10 * MINUTE); // restarted with --train-sample-size 500
        buckets = smaller.adopt(buckets, rows);
        assertThat(smaller.rows(buckets, rows)).hasSize(1000);      // the same rows, found in their slots
        offer(smaller, 600_000, 30, 20, 100_000);                   // a new bucket opens: every bucket shrinks
        assertThat(store).hasSize(500).hasSize(RecentSample.size(buckets));

        RecentSample longer = new RecentSample(500, 60 * MINUTE);  // restarted with --train-horizon 1h
        buckets = longer.adopt(buckets, rows);
        assertThat(store).isEmpty();
        assertThat(RecentSample.size(buckets)).isZero();
        assertThat(longer.adopt(null, rows)).isEqualTo(longer.emptyBuckets());
    }

    @Test
    void sizesOutOfRangeAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> new RecentSample(0, 10 * MINUTE)).hasMessageContaining("train-sample-size");
        assertThatThrownBy(() -> new RecentSample(1000, 5)).hasMessageContaining("train-horizon");
    }
}
