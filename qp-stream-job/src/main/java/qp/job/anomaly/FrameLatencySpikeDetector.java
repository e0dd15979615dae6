package qp.job.anomaly;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import qp.job.analytics.AnalyticsSettings;
import qp.job.windows.StatsAccumulator;
import qp.protocol.analytics.Anomaly;
import qp.protocol.analytics.AnomalyKind;
import qp.protocol.analytics.Severity;
import qp.protocol.events.FrameEvent;

/**
 * FRAME_LATENCY_SPIKE: one frame far slower than the slowest frames of its node/type usually are. Event time is cut
 * into blocks of {@code frameBlockMillis} (in the job: the tumbling windows); the key keeps the slowest frame of each of its last
 * {@link BlockMaxima#CAPACITY} blocks, and a frame is a spike when ln(latency) &gt; median + kσ of those block maxima
 * (σ from their median absolute deviation; k = {@code frameSigmaThreshold}), once {@code warmupWindows} blocks and
 * {@code frameWarmupFrames} frames were seen.
 *
 * <p>Why block maxima and not every frame against the mean: within one kind of frame, latency on a loaded machine has
 * a tail far heavier than normal even in log space (p99 10–100× the median), so some frame crossed mean + 5σ in
 * almost every block, and a busy node reported a "spike" every few seconds. The slowest frame of a block is judged
 * against the slowest frames of earlier blocks, which already contain that tail.
 *
 * <p>Hysteresis: a spike opens an incident and is reported; further spikes are held back (and counted into the next
 * report) until {@code calmWindows} blocks in a row had their slowest frame below median + {@code exitSigma}·σ. So a
 * node that stays slow raises one anomaly, not one per block.
 */
public final class FrameLatencySpikeDetector
        extends KeyedProcessFunction<Tuple2<String, String>, FrameEvent, Anomaly> {
    /**
     * The slowest frame of a block varies by 15–20% from block to block even on steady traffic, and a median absolute
     * deviation of 30 such values can come out smaller by chance: with σ 0.05 a frame 1.5× the usual slowest one was a
     * "spike", with 0.15 one in 200,000 ordinary frames of a light-tailed key still was. With this floor and k = 5, a
     * spike is at least e ≈ 2.7× the usual slowest frame of a block.
     */
    private static final double MIN_LOG_SIGMA = 0.2;
    private static final long CLEANUP_GRANULARITY_MILLIS = 1_000; // one timer move per second per key, not per frame
    private final AnalyticsSettings.Detectors settings;
    private transient ValueState<FrameBaselineState> state;
    private transient MapState<Long, OpenBlock> openBlocks;

    public FrameLatencySpikeDetector(AnalyticsSettings.Detectors settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext ctx) {
        // New names for the block-maxima state: a checkpoint of the per-frame baseline ("frame-baseline") is not
        // read into it; that state is left alone and the key warms up again.
        state = getRuntimeContext().getState(
                new ValueStateDescriptor<>("frame-block-maxima", TypeInformation.of(FrameBaselineState.class)));
        openBlocks = getRuntimeContext().getMapState(new MapStateDescriptor<>("frame-open-blocks", Types.LONG,
                TypeInformation.of(OpenBlock.class)));
    }

    @Override
    public void processElement(FrameEvent f, Context ctx, Collector<Anomaly> out) throws Exception {
        judge(f, ctx, out, true);
    }

    /**
     * Judges one frame. With {@code learnTypical} false the typical frame is not learned from it: the caller feeds
     * the typical frame from whole windows ({@link #learnTypical}) and hands over only some of the frames.
     */
    void judge(FrameEvent f, Context ctx, Collector<Anomaly> out, boolean learnTypical) throws Exception {
        if (f.latencyMicros() <= 0) {
            return; // no reply, no latency
        }
        FrameBaselineState s = state.value();
        if (s == null) {
            s = FrameBaselineState.initial();
        }
        long t = f.eventTimeMillis();
        BlockMaxima history = s.slowest();
        EwmaBaseline typical = s.logLatency();
        double k = settings.frameSigmaThreshold();
        double y = Math.log(f.latencyMicros());
        double sigma = history.sigma(MIN_LOG_SIGMA);
        double threshold = threshold(history);
        boolean warmedUp = warmedUp(history, typical);
        boolean spike = warmedUp && y > threshold;
        IncidentState incident = s.incident();
        long incidentBlock = s.incidentBlock();
        long heldBack = s.heldBack();
        if (incident.raises(spike)) {
            double score = (y - history.median()) / sigma;
            out.collect(new Anomaly(f.nodeId(), f.type(), AnomalyKind.FRAME_LATENCY_SPIKE,
                    score >= 2 * k ? Severity.CRITICAL : Severity.WARNING, score, f.latencyMicros(),
                    Math.exp(typical.mean()), sigma, Math.exp(threshold), t, t + 1,
                    String.format("node %s %s: frame %s#%d%s took %d us; typical %.0f us, slowest "
                                    + "per %s usually %.0f us (median of the last %d blocks, σ(ln) %.2f), threshold "
                                    + "%.0f us; %d more spike(s) held back before it",
                            f.nodeId(), f.type(), f.connectionId(), f.seq(), f.op() == null ? "" : " op " + f.op(),
                            f.latencyMicros(), Math.exp(typical.mean()), block(),
                            Math.exp(history.median()), Math.min(history.count(), BlockMaxima.CAPACITY), sigma,
                            Math.exp(threshold), heldBack)));
            incident = new IncidentState(true, 0);
            incidentBlock = blockStart(t);
            heldBack = 0;
        } else if (spike) {
            heldBack++;
        }
        addToBlock(t, y, spike, ctx);
        long cleanupAt = moveCleanup(s, t, ctx);
        // The typical frame learns clipped at the threshold, so a spike barely moves it.
        EwmaBaseline learned = learnTypical
                ? typical.update(warmedUp ? Math.min(y, threshold) : y, settings.frameEwmaAlpha()) : typical;
        state.update(new FrameBaselineState(learned, history, incident, incidentBlock, heldBack, cleanupAt));
    }

    /**
     * Learns the typical frame from a part of one window of this node/type ({@code stats}, timestamped {@code t}):
     * as if each of its latency samples had been the window's median (clipped at the threshold once warmed up), so
     * the typical frame is an EWMA of the windows' median latencies, weighted by their samples.
     */
    void learnTypical(StatsAccumulator stats, long t, Context ctx) throws Exception {
        long n = stats.latencySamples();
        if (n == 0) {
            return;
        }
        FrameBaselineState s = state.value();
        if (s == null) {
            s = FrameBaselineState.initial();
        }
        BlockMaxima history = s.slowest();
        EwmaBaseline typical = s.logLatency();
        double y = Math.log(Math.max(1, stats.latencyQuantile(0.5)));
        long cleanupAt = moveCleanup(s, t, ctx);
        state.update(new FrameBaselineState(typical.updateMany(
                warmedUp(history, typical) ? Math.min(y, threshold(history)) : y, n, settings.frameEwmaAlpha()),
                history, s.incident(), s.incidentBlock(), s.heldBack(), cleanupAt));
    }

    /** ln(latency) above which a frame is a spike: median + kσ of the key's block maxima. */
    private double threshold(BlockMaxima history) {
        return history.median() + settings.frameSigmaThreshold() * history.sigma(MIN_LOG_SIGMA);
    }

    /** Enough blocks and frames seen for a verdict. */
    private boolean warmedUp(BlockMaxima history, EwmaBaseline typical) {
        return history.count() >= settings.warmupWindows() && typical.n() >= settings.frameWarmupFrames();
    }

    /** The key's clean-up timer, moved on to keyIdleMillis after {@code t}; out-of-order input never pulls it back. */
    private long moveCleanup(FrameBaselineState s, long t, Context ctx) {
        long cleanupAt = roundUp(t + settings.keyIdleMillis());
        if (cleanupAt <= s.cleanupAtMillis()) {
            return s.cleanupAtMillis();
        }
        if (s.cleanupAtMillis() != Long.MIN_VALUE) {
            ctx.timerService().deleteEventTimeTimer(s.cleanupAtMillis());
        }
        ctx.timerService().registerEventTimeTimer(cleanupAt);
        return cleanupAt;
    }

    /**
     * Puts the frame into the block of its event time; the block closes when the watermark passes its end, like a
     * window, so frames that arrive out of order (another partition behind) still land in their own block. A frame
     * whose block has closed already (late) is judged but no longer counted.
     */
    private void addToBlock(long t, double y, boolean spike, Context ctx) throws Exception {
        long start = blockStart(t);
        long end = start + settings.frameBlockMillis() - 1;
        if (end <= ctx.timerService().currentWatermark()) {
            return;
        }
        OpenBlock b = openBlocks.get(start);
        if (b == null) {
            ctx.timerService().registerEventTimeTimer(end);
            openBlocks.put(start, new OpenBlock(Double.NEGATIVE_INFINITY, false).with(y, spike));
            return;
        }
        OpenBlock updated = b.with(y, spike);
        if (updated != b) { // a frame that is not the block's slowest and no new spike leaves the state as it was
            openBlocks.put(start, updated);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Anomaly> out) throws Exception {
        FrameBaselineState s = state.value();
        if (s == null) {
            return;
        }
        if (s.cleanupAtMillis() == timestamp) {
            state.clear(); // silent for keyIdleMillis: forget the key
            openBlocks.clear();
            return;
        }
        long start = timestamp + 1 - settings.frameBlockMillis();
        OpenBlock b = openBlocks.get(start);
        if (b != null) {
            openBlocks.remove(start);
            state.update(close(s, start, b));
        }
    }

    /**
     * A block's slowest frame joins the history, and the block counts towards the end of an incident when that frame
     * was calm and the block is not older than the incident. Blocks without frames never open: they say nothing about
     * how slow the slowest frame is.
     */
    private FrameBaselineState close(FrameBaselineState s, long start, OpenBlock b) {
        BlockMaxima history = s.slowest();
        boolean calm = history.count() == 0
                || b.slowestLog() <= history.median() + settings.exitSigma() * history.sigma(MIN_LOG_SIGMA);
        IncidentState incident = s.incident().open() && start < s.incidentBlock() ? s.incident()
                : s.incident().next(b.anomalous(), calm, settings.calmWindows());
        return new FrameBaselineState(s.logLatency(), history.add(b.slowestLog()), incident, s.incidentBlock(),
                s.heldBack(), s.cleanupAtMillis());
    }

    private long blockStart(long t) {
        return Math.floorDiv(t, settings.frameBlockMillis()) * settings.frameBlockMillis();
    }

    private String block() {
        long ms = settings.frameBlockMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    private static long roundUp(long millis) {
        return (millis / CLEANUP_GRANULARITY_MILLIS + 1) * CLEANUP_GRANULARITY_MILLIS;
    }
}
