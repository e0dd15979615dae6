package qp.job.bigrams;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Per (node, connection): puts the frames of both directions in order (event time, then seq) once the watermark has
 * passed them, and emits the pairs of consecutive message types, counted per distinct pair and release interval
 * ({@link TransitionCount}: one record per pair and bigram window of a release, not one per frame). The frames come
 * in runs ({@link SequencedRun}: a connection's frames of one watermark step of one reader). Frames wait in a
 * list state (appended, never copied on arrival). The connection has one release timer, at the end of the release
 * interval (the bigram window) that holds its earliest waiting frame; when it fires, every frame the watermark has
 * passed is put in order at once and only the frames still ahead of the watermark are written back. So a waiting
 * frame is rewritten about once per window (the frames of the last watermark delay), not at every watermark step.
 * Emitting at the window's end is still ahead of the downstream window: a timer fires before its watermark is passed
 * on, so the transitions of a window reach the bigram window before the watermark that fires it. The transitions of
 * each window, and which frames count as late, are the same for every release interval: only when they are emitted,
 * and how many records carry them, differs (an interval of 1 ms releases at each waiting frame's own time, i.e. at
 * every watermark step, and counts per millisecond). A record carries the event time of the last transition it
 * counts (use {@link TransitionWindows}: the records' timestamps are the timer's); the bigram windows must be whole
 * release intervals (the interval is the window, or 1 ms), so that the transitions one record counts share a window.
 * A connection silent for {@code idleMillis} (event time) is forgotten by a clean-up timer, which is set once and
 * moved on only when it fires. Frames already behind the watermark cannot be put in order any more: they are skipped
 * here and counted in the metric {@code bigramLateFrames} (the window stats count them as late frames).
 *
 * <p>State bounds. Pending frames: by time, a frame waits until the watermark passes the end of its release interval
 * (at most the interval, i.e. one bigram window, plus the watermark delay plus one periodic watermark step in steady
 * traffic); by count, at most {@code maxPendingFrames} per connection, for when the watermark stands still (a
 * partition not yet idle, a stalled source) or a connection sends more than {@code maxPendingFrames} frames in that
 * time (at the defaults, 100,000 frames in 10 s + 2 s: above about 8,000 frames/s on one connection). At that bound
 * every waiting frame is put in order at once (a release that may span windows: its counts are per window), and a
 * frame that comes later with an earlier time is skipped and counted like a late one.
 * Connections: one small state each, dropped {@code idleMillis} of event time after the connection's last frame.
 */
public final class ConnectionSequencer
        extends KeyedProcessFunction<Tuple2<String, String>, SequencedRun, TransitionCount> {
    private static final Comparator<PendingFrame> IN_ORDER =
            Comparator.comparingLong(PendingFrame::eventTimeMillis).thenComparingLong(PendingFrame::seq);
    /** Default bound of the frames one connection may have waiting for the watermark. */
    public static final int DEFAULT_MAX_PENDING_FRAMES = 100_000;
    private final long idleMillis;
    private final long releaseIntervalMillis;
    private final int maxPendingFrames;
    private transient ListState<PendingFrame> pending;
    private transient ValueState<ConnectionState> connection;
    private transient Counter lateFrames;

    /** Releases frames at every watermark step that passes them (release interval 1 ms). */
    public ConnectionSequencer(long idleMillis) {
        this(idleMillis, 1, DEFAULT_MAX_PENDING_FRAMES);
    }

    /** Releases frames at every watermark step that passes them (release interval 1 ms), at most the given pending. */
    public ConnectionSequencer(long idleMillis, int maxPendingFrames) {
        this(idleMillis, 1, maxPendingFrames);
    }

    /**
     * @param idleMillis            event time without a frame after which a connection is forgotten
     * @param releaseIntervalMillis frames wait until the watermark passes the end of their interval (tumbling,
     *                              aligned like the bigram windows: pass the bigram window size)
     * @param maxPendingFrames      at most this many frames wait per connection
     */
    public ConnectionSequencer(long idleMillis, long releaseIntervalMillis, int maxPendingFrames) {
        if (releaseIntervalMillis < 1) {
            throw new IllegalArgumentException("release interval must be at least 1 ms, got " + releaseIntervalMillis);
        }
        this.idleMillis = idleMillis;
        this.releaseIntervalMillis = releaseIntervalMillis;
        this.maxPendingFrames = maxPendingFrames;
    }

    @Override
    public void open(OpenContext ctx) {
        pending = getRuntimeContext().getListState(
                new ListStateDescriptor<>("pending", TypeInformation.of(PendingFrame.class)));
        connection = getRuntimeContext().getState(
                new ValueStateDescriptor<>("connection", TypeInformation.of(ConnectionState.class)));
        lateFrames = getRuntimeContext().getMetricGroup().counter("bigramLateFrames");
    }

    /** The last millisecond of the release interval that holds {@code t} (its window's max timestamp). */
    long releaseAt(long t) {
        return TimeWindow.getWindowStartWithOffset(t, 0, releaseIntervalMillis) + releaseIntervalMillis - 1;
    }

    @Override
    public void processElement(SequencedRun run, Context ctx, Collector<TransitionCount> out) throws Exception {
        ConnectionState c = connection.value();
        long watermark = ctx.timerService().currentWatermark();
        List<PendingFrame> accepted = new ArrayList<>(run.frames().length);
        long release = Long.MAX_VALUE;
        boolean changed = false;
        for (PendingFrame f : run.frames()) {
            long t = f.eventTimeMillis();
            boolean behindWhatWasPutInOrder = c != null && t < c.lastEventMillis(); // only after a flush at the bound
            if (t <= watermark || behindWhatWasPutInOrder) {
                lateFrames.inc();
                continue;
            }
            // the edge's reader (SequencedRunSerializer) hands out one String per type, which PairCounts matches by
            // reference
            accepted.add(f);
            release = Math.min(release, releaseAt(t));
            if ((c == null ? 0 : c.pendingFrames()) + accepted.size() >= maxPendingFrames) {
                // the watermark stands still: do not let the list grow; the rest of the run comes after these
                c = waitFor(accepted, release, c, ctx);
                List<PendingFrame> all = new ArrayList<>(c.pendingFrames());
                pending.get().forEach(all::add);
                c = emitInOrder(all, c, ctx.getCurrentKey().f0, out).withPending(0)
                        .withNextFrameTimer(Long.MAX_VALUE);
                pending.clear();
                accepted.clear();
                release = Long.MAX_VALUE;
                changed = true;
            }
        }
        if (!accepted.isEmpty()) {
            c = waitFor(accepted, release, c, ctx);
            changed = true;
        }
        if (changed) {
            connection.update(c);
        }
    }

    /** Appends the frames to the waiting ones, with a timer at {@code release} unless one waits at or before it. */
    private ConnectionState waitFor(List<PendingFrame> frames, long release, ConnectionState c, Context ctx)
            throws Exception {
        pending.addAll(frames);
        if (c == null) {
            c = ConnectionState.first(release);
            ctx.timerService().registerEventTimeTimer(release);
        } else if (release < c.nextFrameTimerMillis()) {
            c = c.withNextFrameTimer(release);
            ctx.timerService().registerEventTimeTimer(release);
        }
        return c.withPending(c.pendingFrames() + frames.size());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TransitionCount> out) throws Exception {
        ConnectionState c = connection.value();
        if (c == null) {
            return;
        }
        long watermark = ctx.timerService().currentWatermark();
        if (c.pendingFrames() > 0 && c.nextFrameTimerMillis() <= watermark) { // else nothing waiting is due yet
            List<PendingFrame> ready = new ArrayList<>(c.pendingFrames()); // sized once: grow() showed in profiles
            List<PendingFrame> waiting = new ArrayList<>(c.pendingFrames());
            long earliestWaiting = Long.MAX_VALUE;
            Iterable<PendingFrame> all = pending.get();
            if (all != null) {
                for (PendingFrame p : all) {
                    if (p.eventTimeMillis() <= watermark) {
                        ready.add(p);
                    } else {
                        waiting.add(p);
                        earliestWaiting = Math.min(earliestWaiting, p.eventTimeMillis());
                    }
                }
            }
            if (!ready.isEmpty()) {
                c = emitInOrder(ready, c, ctx.getCurrentKey().f0, out);
                if (waiting.isEmpty()) {
                    pending.clear();
                } else {
                    pending.update(waiting);
                }
                c = c.withPending(waiting.size());
            }
            long nextRelease = earliestWaiting == Long.MAX_VALUE ? Long.MAX_VALUE : releaseAt(earliestWaiting);
            if (nextRelease != Long.MAX_VALUE) {
                ctx.timerService().registerEventTimeTimer(nextRelease); // a no-op if already registered
            }
            c = c.withNextFrameTimer(nextRelease);
        }
        boolean framesWait = c.pendingFrames() > 0;
        if (c.cleanupAtMillis() <= timestamp) { // the clean-up timer fired, or frames came after it had fired
            long silentUntil = c.lastEventMillis() + idleMillis;
            if (silentUntil <= watermark && !framesWait) {
                connection.clear(); // silent for idleMillis: the connection is gone
                return;
            }
            if (silentUntil > watermark) {
                ctx.timerService().registerEventTimeTimer(silentUntil);
                c = c.withCleanupAt(silentUntil);
            }
        }
        connection.update(c);
    }

    /**
     * Puts the frames in order after the connection's last one and emits their transitions, counted per distinct pair
     * and release interval: the records of one interval carry the time of its last such transition, so with the bigram
     * window as the interval each record falls in the window of every transition it counts.
     */
    private ConnectionState emitInOrder(List<PendingFrame> ready, ConnectionState c, String nodeId,
            Collector<TransitionCount> out) {
        ready.sort(IN_ORDER);
        PairCounts counts = new PairCounts();
        long intervalEnd = Long.MIN_VALUE; // of the interval being counted; the frames are in time order
        int from = c.lastType() == null ? -1 : counts.indexOf(c.lastType());
        for (PendingFrame p : ready) {
            int to = counts.indexOf(p.type());
            if (from >= 0) {
                if (p.eventTimeMillis() > intervalEnd) {
                    counts.emit(nodeId, out);
                    intervalEnd = releaseAt(p.eventTimeMillis());
                }
                counts.add(from, to, p.eventTimeMillis());
            }
            from = to;
        }
        counts.emit(nodeId, out);
        PendingFrame last = ready.get(ready.size() - 1);
        return c.withLast(last.type(), last.eventTimeMillis(), last.seq());
    }
}
