package qp.job.training;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qp.protocol.analytics.ModelReport;
import qp.protocol.analytics.Recommendation;
import qp.protocol.control.ControlCommand;
import qp.protocol.events.NodeMetrics;
import qp.protocol.params.TunableParams;

/**
 * Per node: keeps a bounded sample of training rows in state (and one of the frames it sent, which the compression
 * proposal measures its saving on), trains the node's latency model every
 * {@code retrainInterval} (or on a {@code retrain} command) on one background thread per subtask, and picks the result
 * up on a processing-time tick, so training never runs on the task thread (DESIGN.md: it stalled the stream there).
 * Emits a {@link ModelReport} per training (published or rejected) and, on the side, the published model's
 * recommendations.
 *
 * <p>The sample is a {@link RecentSample}: the last {@code horizon} (default 10 min) of the node's traffic in time
 * buckets, each a uniform reservoir with an equal share of {@code sampleSize} rows. Its span does not depend on the
 * retrain interval or the frame rate (the former thinning to one retrain interval left a 30 s interval with a few
 * seconds of one load phase, and every live model was rejected); why this shape is in {@link RecentSample}.
 * A scheduled training needs {@code minNewRows} new frames since the last one; when it is due but skipped for too few,
 * one INFO line per interval says so.
 *
 * <p>Rows join a frame with the node's latest sample seen before it; frames before a node's first sample are not used.
 * A node without input for {@code nodeIdleMillis} is forgotten. A training in flight during a failure is simply
 * redone: the sample and the published model are in state (the model as Tribuo's protobuf bytes, never Kryo).
 */
public final class LatencyTrainingFunction
        extends KeyedBroadcastProcessFunction<String, NodeInput, ControlCommand, ModelReport> {
    private static final Logger LOG = LoggerFactory.getLogger(LatencyTrainingFunction.class);
    private static final long serialVersionUID = 1L;

    public static final OutputTag<Recommendation> RECOMMENDATIONS =
            new OutputTag<>("model-recommendations", TypeInformation.of(Recommendation.class));
    /** The broadcast state of control commands: the last one per node ("*" for all). */
    public static final MapStateDescriptor<String, ControlCommand> CONTROL = new MapStateDescriptor<>("control",
            Types.STRING, TypeInformation.of(ControlCommand.class));
    static final ValueStateDescriptor<SampleProgress> PROGRESS =
            new ValueStateDescriptor<>("progress", TypeInformation.of(SampleProgress.class));
    private static final int MIN_ROWS_ON_REQUEST = 20;

    private final TrainingSettings settings;
    private transient SampleInState received;
    /** The frames the node sent, sampled like the rows: what the compression threshold governs. */
    private transient SampleInState sent;
    private transient ValueState<SampleProgress> progress;
    private transient ValueState<NodeMetrics> latest;
    private transient ValueState<byte[]> model;
    private transient ValueState<Long> tickAt;
    private transient ExecutorService trainer;
    private transient Map<String, Future<LatencyTrainingRun.Outcome>> inFlight;
    private transient Random random;

    public LatencyTrainingFunction(TrainingSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext ctx) {
        RecentSample sampler = settings.recentSample();
        received = new SampleInState(getRuntimeContext(), sampler, "sample", "sample-buckets");
        // added after the first release: a checkpoint without them starts them empty
        sent = new SampleInState(getRuntimeContext(), sampler, "sent-sample", "sent-sample-buckets");
        progress = getRuntimeContext().getState(PROGRESS);
        latest = getRuntimeContext().getState(new ValueStateDescriptor<>("latest-metrics",
                TypeInformation.of(NodeMetrics.class)));
        model = getRuntimeContext().getState(new ValueStateDescriptor<>("latency-model",
                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        tickAt = getRuntimeContext().getState(new ValueStateDescriptor<>("tick-at", Types.LONG));
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        trainer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "qp-training-" + subtask);
            t.setDaemon(true);
            t.setPriority(Thread.NORM_PRIORITY - 1);
            return t;
        });
        inFlight = new ConcurrentHashMap<>();
        random = new Random(settings.seed() + subtask);
    }

    @Override
    public void close() {
        if (trainer != null) {
            trainer.shutdownNow();
        }
    }

    @Override
    public void processElement(NodeInput in, ReadOnlyContext ctx, Collector<ModelReport> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        SampleProgress p = progress.value();
        if (p == null) {
            p = SampleProgress.start(now);
        }
        if (in.metrics() != null) {
            latest.update(in.metrics());
            p = p.sampled(Math.max(0, in.metrics().heartbeatTimeouts()), now);
        } else {
            NodeMetrics m = latest.value();
            if (m == null) {
                return; // no sample of the node yet: nothing to join the frame with
            }
            for (NodeInput.FrameSample f : in.frames()) {
                if (f.outbound()) {
                    sent.offer(in.row(f, m), random);
                } else {
                    received.offer(in.row(f, m), random);
                    p = p.offered(now);
                }
            }
        }
        progress.update(p);
        if (tickAt.value() == null) {
            long t = now + settings.tickMillis();
            ctx.timerService().registerProcessingTimeTimer(t);
            tickAt.update(t);
        }
    }

    @Override
    public void processBroadcastElement(ControlCommand cmd, Context ctx, Collector<ModelReport> out) throws Exception {
        if (!ControlCommand.RETRAIN.equals(cmd.command())) {
            LOG.warn("qp.control: unknown command '{}' ignored (known: {})", cmd.command(), ControlCommand.RETRAIN);
            return;
        }
        ctx.getBroadcastState(CONTROL).put(cmd.nodeId() == null ? "*" : cmd.nodeId(), cmd);
        ctx.applyToKeyedState(PROGRESS, (node, state) -> {
            SampleProgress p = state.value();
            if (p != null && (cmd.nodeId() == null || cmd.nodeId().equals(node))) {
                state.update(p.requested());
            }
        });
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ModelReport> out) throws Exception {
        String node = ctx.getCurrentKey();
        SampleProgress p = progress.value();
        if (p == null) {
            tickAt.clear();
            return;
        }
        Future<LatencyTrainingRun.Outcome> running = inFlight.get(node);
        if (running != null && running.isDone()) {
            inFlight.remove(node);
            p = pickUp(running, p, out, ctx);
            running = null;
        }
        if (running == null && timestamp - p.lastInputAtMillis() >= settings.nodeIdleMillis()) {
            forget();
            return;
        }
        if (running == null && due(p, timestamp)) {
            p = start(node, p, timestamp);
        } else if (running == null) {
            p = logSkip(node, p, timestamp);
        }
        progress.update(p);
        long next = timestamp + settings.tickMillis();
        ctx.timerService().registerProcessingTimeTimer(next);
        tickAt.update(next);
    }

    private boolean due(SampleProgress p, long now) throws Exception {
        if (p.retrainRequested()) {
            return sampleSize() >= MIN_ROWS_ON_REQUEST;
        }
        return now - p.lastTrainedAtMillis() >= settings.retrainIntervalMillis() && p.newRows() >= settings.minNewRows();
    }

    /** A scheduled training that is due by time but has too few new frames: one INFO line per interval. */
    private SampleProgress logSkip(String node, SampleProgress p, long now) throws Exception {
        if (p.retrainRequested() || now - p.lastTrainedAtMillis() < settings.retrainIntervalMillis()
                || now - p.skipLoggedAtMillis() < settings.retrainIntervalMillis()) {
            return p;
        }
        LOG.info("latency model of node {} not retrained: {} new frames since the last training, --min-train-samples "
                + "needs {}; the sample holds {} rows (next look in {} s)", node, p.newRows(), settings.minNewRows(),
                sampleSize(), settings.retrainIntervalMillis() / 1000);
        return p.skipLogged(now);
    }

    private int sampleSize() throws Exception {
        return received.size();
    }

    private SampleProgress start(String node, SampleProgress p, long now) throws Exception {
        List<TrainingRow> sample = received.rows();
        List<TrainingRow> sentRows = sent.rows();
        LOG.info("latency model {} of node {}: training on {} rows spanning {} s of event time ({} new frames since "
                + "the last training)", p.versions() + 1, node, sample.size(), received.spanMillis() / 1000,
                p.newRows());
        NodeMetrics m = latest.value();
        NodeFacts facts = new NodeFacts(node, m != null && m.params() != null ? m.params() : TunableParams.defaults(),
                m == null ? 0 : m.paramVersion(), p.heartbeatTimeouts(), p.observedSeconds());
        String version = LatencyTrainingRun.version(node, p.versions() + 1);
        String previous = p.publishedVersion() == null ? null
                : String.format("%s (R² %.3f)", p.publishedVersion(), p.publishedR2());
        inFlight.put(node, trainer.submit(() -> LatencyTrainingRun.run(facts, sample, sentRows, settings, version,
                previous, now))); // processing time: the job's one clock
        return p.trainingStarted(now);
    }

    private SampleProgress pickUp(Future<LatencyTrainingRun.Outcome> done, SampleProgress p,
            Collector<ModelReport> out, OnTimerContext ctx) throws Exception {
        LatencyTrainingRun.Outcome o;
        try {
            o = done.get();
        } catch (ExecutionException e) {
            LOG.warn("latency training of node {} failed", ctx.getCurrentKey(), e.getCause());
            return p;
        }
        out.collect(o.report());
        // a rejected model's run still measured what needs no model (the bytes compression saves)
        for (Recommendation r : o.recommendations()) {
            ctx.output(RECOMMENDATIONS, r);
        }
        if (!o.published()) {
            return p;
        }
        model.update(o.modelBytes());
        return p.published(o.report().version(), o.report().r2());
    }

    private void forget() {
        received.clear();
        sent.clear();
        progress.clear();
        latest.clear();
        model.clear();
        tickAt.clear();
    }
}
