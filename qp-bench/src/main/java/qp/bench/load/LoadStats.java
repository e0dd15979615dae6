package qp.bench.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What all connections record, shared. Round trips go to an HdrHistogram {@link Recorder}, which many I/O threads
 * write without locks and the main thread reads as interval histograms: one for the warm-up (thrown away), one for
 * the measured window.
 */
final class LoadStats {
    private final Recorder roundTripNanos = new Recorder(3);
    final LongAdder errors = new LongAdder();
    final LongAdder unmatched = new LongAdder();
    final LongAdder sendFailures = new LongAdder();
    final LongAdder closes = new LongAdder();
    final LongAdder streamFrames = new LongAdder();
    /** Paced runs: requests that were due while every connection had its in-flight limit outstanding (not sent). */
    final LongAdder missed = new LongAdder();
    private final Map<String, LongAdder> errorCodes = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> closeCodes = new ConcurrentHashMap<>();

    void roundTrip(long nanos) {
        roundTripNanos.recordValue(Math.max(0, nanos));
    }

    void error(String code) {
        errors.increment();
        errorCodes.computeIfAbsent(code == null ? "?" : code, c -> new LongAdder()).increment();
    }

    void closedByServer(int code) {
        closes.increment();
        closeCodes.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    /** The round trips recorded since the previous call (or since start). */
    Histogram takeInterval() {
        return roundTripNanos.getIntervalHistogram();
    }

    Counters counters() {
        Map<String, Long> codes = new TreeMap<>();
        errorCodes.forEach((k, v) -> codes.put(k, v.sum()));
        Map<Integer, Long> cc = new TreeMap<>();
        closeCodes.forEach((k, v) -> cc.put(k, v.sum()));
        return new Counters(errors.sum(), unmatched.sum(), sendFailures.sum(), closes.sum(), streamFrames.sum(),
                missed.sum(), codes, cc);
    }

    /** A snapshot of the counters; {@link #minus} gives what happened between two snapshots. */
    record Counters(long errors, long unmatched, long sendFailures, long closes, long streamFrames, long missed,
                    Map<String, Long> errorCodes, Map<Integer, Long> closeCodes) {
        Counters minus(Counters before) {
            Map<String, Long> codes = new TreeMap<>(errorCodes);
            before.errorCodes.forEach((k, v) -> codes.merge(k, -v, Long::sum));
            codes.values().removeIf(v -> v == 0);
            Map<Integer, Long> cc = new TreeMap<>(closeCodes);
            before.closeCodes.forEach((k, v) -> cc.merge(k, -v, Long::sum));
            cc.values().removeIf(v -> v == 0);
            return new Counters(errors - before.errors, unmatched - before.unmatched, sendFailures - before.sendFailures,
                    closes - before.closes, streamFrames - before.streamFrames, missed - before.missed, codes, cc);
        }
    }
}
