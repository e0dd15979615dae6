package qp.job.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
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
import qp.job.recommend.NodeFacts;
import qp.protocol.analytics.ModelReport;
import qp.protocol.analytics.Recommendation;
import qp.protocol.control.ControlCommand;
import qp.protocol.events.NodeMetrics;
import qp.protocol.params.TunableParams;

/**
 * Per node: keeps a bounded sample of training rows in state, trains the node's latency model every
 * {@code retrainInterval} (or on a {@code retrain} command) on one background thread per subtask, and picks the result
 * up on a processing-time tick, so training never runs on the task thread (DESIGN.md: it stalled the stream there).
 * Emits a {@link ModelReport} per training (published or rejected) and, on the side, the published model's
 * recommendations.
 *
 * <p>The sample keeps the most recent rows, thinned so that it spans about one retrain interval: a row is admitted
 * with probability sampleSize / (rows offered in the previous interval). Recency, not a reservoir over all time:
 * a model should describe the node's current parameters and load, not what it was before the last change.
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
    private transient MapState<Integer, TrainingRow> rows;
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
        rows = getRuntimeContext().getMapState(new MapStateDescriptor<>("sample", Types.INT,
                TypeInformation.of(TrainingRow.class)));
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
            boolean admit = p.offeredLastInterval() <= settings.sampleSize()
                    || random.nextDouble() < (double) settings.sampleSize() / p.offeredLastInterval();
            if (admit) {
                rows.put((int) (p.admitted() % settings.sampleSize()), in.row(m));
            }
            p = p.offered(admit, now);
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
        }
        progress.update(p);
        long next = timestamp + settings.tickMillis();
        ctx.timerService().registerProcessingTimeTimer(next);
        tickAt.update(next);
    }

    private boolean due(SampleProgress p, long now) {
        long sampled = Math.min(p.admitted(), settings.sampleSize());
        if (p.retrainRequested()) {
            return sampled >= MIN_ROWS_ON_REQUEST;
        }
        return now - p.lastTrainedAtMillis() >= settings.retrainIntervalMillis() && p.newRows() >= settings.minNewRows();
    }

    private SampleProgress start(String node, SampleProgress p, long now) throws Exception {
        List<TrainingRow> sample = new ArrayList<>(settings.sampleSize());
        for (TrainingRow r : rows.values()) {
            sample.add(r);
        }
        NodeMetrics m = latest.value();
        NodeFacts facts = new NodeFacts(node, m != null && m.params() != null ? m.params() : TunableParams.defaults(),
                m == null ? 0 : m.paramVersion(), p.heartbeatTimeouts(), p.observedSeconds());
        String version = LatencyTrainingRun.version(node, p.versions() + 1);
        String previous = p.publishedVersion() == null ? null
                : String.format("%s (R² %.3f)", p.publishedVersion(), p.publishedR2());
        inFlight.put(node, trainer.submit(() -> LatencyTrainingRun.run(facts, sample, settings, version, previous,
                System.currentTimeMillis())));
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
        if (!o.published()) {
            return p;
        }
        model.update(o.modelBytes());
        for (Recommendation r : o.recommendations()) {
            ctx.output(RECOMMENDATIONS, r);
        }
        return p.published(o.report().version(), o.report().r2());
    }

    private void forget() {
        rows.clear();
        progress.clear();
        latest.clear();
        model.clear();
        tickAt.clear();
    }
}
