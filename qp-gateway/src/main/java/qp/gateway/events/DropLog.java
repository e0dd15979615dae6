package qp.gateway.events;

import java.time.Duration;
import java.util.function.Consumer;

/** Reports drops as one warning at most every 10 s, with the counts by reason since start. */
final class DropLog {
    private static final long INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();
    /** how often the drop counters are summed: a sum per step cost 1.5% of the gateway's CPU under load */
    private static final long CHECK_INTERVAL_NANOS = Duration.ofMillis(100).toNanos();

    private final EmitterMeters meters;
    private final Consumer<String> warnings;
    private final long spoolMaxBytes;
    private long lastWarnNanos;
    private long nextCheckNanos;
    private long droppedAtLastWarn;

    DropLog(EmitterMeters meters, Consumer<String> warnings, long spoolMaxBytes, long nowNanos) {
        this.meters = meters;
        this.warnings = warnings;
        this.spoolMaxBytes = spoolMaxBytes;
        this.lastWarnNanos = nowNanos - INTERVAL_NANOS;
        this.nextCheckNanos = nowNanos;
    }

    /** Warns when something was dropped since the last warning and the interval has passed, or {@code now}. */
    void warnIfDue(long nowNanos, boolean now, Spool spool, SenderState state) {
        if (!now && (nowNanos - nextCheckNanos < 0 || nowNanos - lastWarnNanos < INTERVAL_NANOS)) {
            return; // the clock first: summing the counters is the costly part
        }
        nextCheckNanos = nowNanos + CHECK_INTERVAL_NANOS;
        long total = meters.droppedTotal();
        if (total == droppedAtLastWarn) {
            return;
        }
        StringBuilder byReason = new StringBuilder();
        for (DropReason r : DropReason.values()) {
            byReason.append(byReason.isEmpty() ? "" : ", ").append(r.tag).append('=').append(meters.dropped(r));
        }
        warnings.accept("dropped " + (total - droppedAtLastWarn) + " events that could be kept neither in memory"
                + " nor in the spool (since start: " + byReason + "); spool " + spool.count() + " events, "
                + spool.bytes() + " of " + spoolMaxBytes + " bytes; Kafka " + (state.kafkaUp() ? "up" : "away")
                + ". Raise spoolMaxBytes or memoryQueueCapacity, or bring Kafka back");
        droppedAtLastWarn = total;
        lastWarnNanos = nowNanos;
    }
}
