package qp.job.windows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import qp.job.analytics.AnalyticsSettings;
import qp.protocol.events.FrameEvent;

/**
 * Folds the frames into their per-type windows in the frames' reader, before the keyed exchange by (node, type), so
 * that exchange carries one partial accumulator per node, type and window (per reader, and per checkpoint) and the few
 * frames the single-frame latency check needs, instead of every frame. Chained to the operator that assigns the
 * frames' watermarks (same parallelism); it keeps no state in checkpoints.
 *
 * <p><b>Partials</b> leave when this reader's watermark passes their window's end (before that watermark goes on),
 * before the stream is declared idle, before each checkpoint barrier and at the end of the input. The per-type window
 * behind the exchange merges every partial of its window ({@link TypeWindowStatsAggregate}), so a window may get
 * several from one reader. A partial is never late there: it leaves before the watermark that closes its window
 * here, and the watermark there is the minimum over all readers.
 *
 * <p><b>Late frames</b>: a frame whose window (plus allowed lateness) this reader's watermark has passed goes whole to
 * {@link WindowStatsStage#LATE_FRAMES} and is not counted, as the per-type window did with every frame. This reader's
 * watermark is at or ahead of the windows' (the minimum over the readers), so with several readers a frame can be
 * late here that the windows would still have taken: late means behind the watermark of its own reader.
 *
 * <p><b>Candidates for the single-frame latency check</b>: per node and type this reader remembers the slowest latency
 * so far of each block the watermark has not passed (the detector's blocks, the tumbling windows in the job) and
 * passes on a frame with a reply only when it is slower than that (or its block has closed: the check judges it and
 * counts it nowhere). So the check sees every block's slowest frame, the history
 * it learns from, and every frame that could open an incident given the threshold it held while the block lasted:
 * a frame no slower than an earlier one of its block is a spike only if that one was, and then the incident is open.
 * About ln(n) of a block's n frames per reader are passed on. What the check no longer sees: how many further spikes
 * an open incident held back (its report counts those it saw), and a frame that crossed a threshold lowered in the
 * middle of its block by an older block closing, below a slower frame of the same block that had not.
 */
public final class TypePartialsInReader extends AbstractStreamOperator<NodeTypeInput>
        implements OneInputStreamOperator<FrameEvent, NodeTypeInput> {
    private static final long serialVersionUID = 1L;

    private final long windowMillis;
    private final long allowedLatenessMillis;
    private final double relativeAccuracy;
    private final long blockMillis;
    private transient Map<String, Map<String, KeyState>> byNode;
    private transient long watermark;
    /** No open window ends before this: watermarks below it flush nothing. */
    private transient long earliestEnd;

    public TypePartialsInReader(AnalyticsSettings.Windows windows, AnalyticsSettings.Detectors detectors) {
        this.windowMillis = windows.sizeMillis();
        this.allowedLatenessMillis = windows.allowedLatenessMillis();
        this.relativeAccuracy = windows.sketchRelativeAccuracy();
        this.blockMillis = detectors.frameBlockMillis();
    }

    /** What this reader holds for one node and type. */
    private static final class KeyState {
        /** The open windows; usually one, two around a window's end. */
        final Slots<StatsAccumulator> open = new Slots<>();
        /** The slowest latency so far of each block the watermark has not passed. */
        final Slots<long[]> slowest = new Slots<>();
    }

    /** Values by the start of the span (window or block) they belong to, the last one used at hand. */
    private static final class Slots<V> {
        private final Map<Long, V> byStart = new HashMap<>(4);
        private long lastStart;
        private V last;

        /** The value of the span starting at {@code start}, or null; most frames find the last one used. */
        V get(long start) {
            if (last != null && lastStart == start) {
                return last;
            }
            V v = byStart.get(start);
            if (v != null) {
                lastStart = start;
                last = v;
            }
            return v;
        }

        void put(long start, V v) {
            byStart.put(start, v);
            lastStart = start;
            last = v;
        }

        boolean isEmpty() {
            return byStart.isEmpty();
        }

        /**
         * Removes every span of {@code spanMillis} that ends at or before {@code upTo}, handing each to
         * {@code ended} (with its last millisecond); the earliest end of those left, Long.MAX_VALUE if none.
         */
        long removeEnded(long spanMillis, long upTo, BiConsumer<V, Long> ended) {
            long nextEnd = Long.MAX_VALUE;
            Iterator<Map.Entry<Long, V>> it = byStart.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<Long, V> e = it.next();
                long end = e.getKey() + spanMillis - 1;
                if (end <= upTo) {
                    ended.accept(e.getValue(), end);
                    it.remove();
                    if (e.getValue() == last) {
                        last = null;
                    }
                } else {
                    nextEnd = Math.min(nextEnd, end);
                }
            }
            return nextEnd;
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        byNode = new HashMap<>();
        watermark = Long.MIN_VALUE;
        earliestEnd = Long.MAX_VALUE;
    }

    @Override
    public void processElement(StreamRecord<FrameEvent> element) {
        FrameEvent f = element.getValue();
        long t = f.eventTimeMillis();
        long start = Math.floorDiv(t, windowMillis) * windowMillis;
        long end = start + windowMillis - 1;
        if (end + allowedLatenessMillis <= watermark) {
            output.collect(WindowStatsStage.LATE_FRAMES, element);
            return;
        }
        Map<String, KeyState> types = byNode.get(f.nodeId());
        if (types == null) {
            types = new HashMap<>();
            byNode.put(f.nodeId(), types);
        }
        KeyState k = types.get(f.type());
        if (k == null) {
            k = new KeyState();
            types.put(f.type(), k);
        }
        accumulator(k, start, end).add(f);
        if (f.latencyMicros() > 0 && isCandidate(k, Math.floorDiv(t, blockMillis) * blockMillis, f.latencyMicros())) {
            output.collect(element.replace(NodeTypeInput.of(f)));
        }
    }

    private StatsAccumulator accumulator(KeyState k, long start, long end) {
        StatsAccumulator acc = k.open.get(start);
        if (acc == null) {
            acc = new StatsAccumulator(relativeAccuracy, false);
            k.open.put(start, acc);
            earliestEnd = Math.min(earliestEnd, end);
        }
        return acc;
    }

    /**
     * Whether the frame is the slowest of its block so far at this reader (each open block counts on its own, so
     * frames of two partitions read in turns do not pass each other's); a frame of a block the watermark has passed
     * is always passed on (the check judges it, and counts it nowhere).
     */
    private boolean isCandidate(KeyState k, long block, long latency) {
        long[] slowest = k.slowest.get(block);
        if (slowest == null) {
            if (block + blockMillis - 1 <= watermark) {
                return true;
            }
            slowest = new long[] {Long.MIN_VALUE};
            k.slowest.put(block, slowest);
            earliestEnd = Math.min(earliestEnd, block + blockMillis - 1);
        }
        if (latency > slowest[0]) {
            slowest[0] = latency;
            return true;
        }
        return false;
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = mark.getTimestamp();
        if (watermark >= earliestEnd) {
            flush(watermark);
        }
        super.processWatermark(mark);
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) throws Exception {
        if (status.isIdle()) {
            flush(Long.MAX_VALUE);
        }
        super.processWatermarkStatus(status);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush(Long.MAX_VALUE);
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        flush(Long.MAX_VALUE);
        super.finish();
    }

    /**
     * Sends on every partial of a window that ends at or before {@code upTo}, timestamped with the window's last
     * millisecond, and forgets node/type entries with nothing open whose block has ended.
     */
    private void flush(long upTo) {
        long nextEnd = Long.MAX_VALUE;
        List<String> silentNodes = new ArrayList<>();
        for (Map.Entry<String, Map<String, KeyState>> nodeEntry : byNode.entrySet()) {
            Iterator<Map.Entry<String, KeyState>> types = nodeEntry.getValue().entrySet().iterator();
            while (types.hasNext()) {
                Map.Entry<String, KeyState> e = types.next();
                KeyState k = e.getValue();
                String node = nodeEntry.getKey();
                String type = e.getKey();
                nextEnd = Math.min(nextEnd, k.open.removeEnded(windowMillis, upTo,
                        (acc, end) -> emit(node, type, acc, end)));
                nextEnd = Math.min(nextEnd, k.slowest.removeEnded(blockMillis, watermark, (slowest, end) -> { }));
                if (k.open.isEmpty() && k.slowest.isEmpty()) {
                    types.remove();
                }
            }
            if (nodeEntry.getValue().isEmpty()) {
                silentNodes.add(nodeEntry.getKey());
            }
        }
        silentNodes.forEach(byNode::remove);
        earliestEnd = nextEnd;
    }

    private void emit(String node, String type, StatsAccumulator acc, long end) {
        output.collect(new StreamRecord<>(NodeTypeInput.of(new TypeWindowPartial(node, type, acc)), end));
    }
}
