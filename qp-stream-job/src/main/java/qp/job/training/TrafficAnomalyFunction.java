package qp.job.training;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
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
import qp.protocol.analytics.Anomaly;
import qp.protocol.analytics.AnomalyKind;
import qp.protocol.analytics.ModelReport;
import qp.protocol.analytics.Severity;
import qp.protocol.analytics.WindowStats;
import qp.protocol.control.ControlCommand;

/**
 * Per node: keeps its recent window vectors in state, trains its traffic anomaly model every retrain interval (or on a
 * {@code retrain} command from qp.control, like the latency model) on a background thread (picked up by a
 * processing-time tick, as {@link LatencyTrainingFunction} does), and scores each new window with the model in force,
 * which then learns from it ({@link TrafficAnomalyModel#observe}; the updated model goes back to state). A window
 * above the threshold is kept out of the model and out of the history the next version is trained on.
 * A model of an earlier build found in restored state is retrained from the history at the next tick.
 * Windows above the threshold become one {@code MODEL_OUTLIER} anomaly per incident ({@link OutlierRun}: 2 of the last
 * 3 windows above, ended by 3 calm ones), naming the model version and the features that made the window unusual.
 * A due training without new windows since the last one is skipped and logged: it would only repeat the model.
 * Model versions go to the {@link #MODELS} side output.
 */
public final class TrafficAnomalyFunction
        extends KeyedBroadcastProcessFunction<String, WindowStats, ControlCommand, Anomaly> {
    private static final Logger LOG = LoggerFactory.getLogger(TrafficAnomalyFunction.class);
    private static final long serialVersionUID = 1L;
    public static final OutputTag<ModelReport> MODELS =
            new OutputTag<>("traffic-anomaly-models", TypeInformation.of(ModelReport.class));
    static final int MIN_WINDOWS = 16;
    static final ValueStateDescriptor<AnomalyProgress> PROGRESS = new ValueStateDescriptor<>("anomaly-progress",
            TypeInformation.of(AnomalyProgress.class));

    private final TrainingSettings settings;
    private transient ListState<double[]> history;
    private transient ValueState<AnomalyProgress> progress;
    private transient ValueState<OutlierRun> run;
    private transient ValueState<byte[]> model;
    private transient ValueState<Long> tickAt;
    private transient ExecutorService trainer;
    private transient Map<String, Future<Trained>> inFlight;
    private transient Map<String, Loaded> loaded;

    private record Trained(ModelReport report, byte[] bytes) {
    }

    private record Loaded(String version, TrafficAnomalyModel model) {
    }

    public TrafficAnomalyFunction(TrainingSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext ctx) {
        history = getRuntimeContext().getListState(new ListStateDescriptor<>("window-history",
                PrimitiveArrayTypeInfo.DOUBLE_PRIMITIVE_ARRAY_TYPE_INFO));
        progress = getRuntimeContext().getState(PROGRESS);
        run = getRuntimeContext().getState(new ValueStateDescriptor<>("anomaly-outlier-run",
                TypeInformation.of(OutlierRun.class)));
        model = getRuntimeContext().getState(new ValueStateDescriptor<>("anomaly-model",
                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        tickAt = getRuntimeContext().getState(new ValueStateDescriptor<>("anomaly-tick-at", Types.LONG));
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        trainer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "qp-anomaly-training-" + subtask);
            t.setDaemon(true);
            t.setPriority(Thread.NORM_PRIORITY - 1);
            return t;
        });
        inFlight = new ConcurrentHashMap<>();
        loaded = new ConcurrentHashMap<>();
    }

    @Override
    public void close() {
        if (trainer != null) {
            trainer.shutdownNow();
        }
    }

    @Override
    public void processElement(WindowStats w, ReadOnlyContext ctx, Collector<Anomaly> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        double[] v = TrafficFeatures.of(w);
        AnomalyProgress p = progress.value();
        p = p == null ? AnomalyProgress.start(now) : p;
        boolean flagged = false;
        if (p.publishedVersion() != null && TrafficAnomalyModel.format(model.value()) != TrafficAnomalyModel.FORMAT) {
            // a model of an earlier build (restored from its checkpoint): retrained from the kept history at the next tick
            LOG.info("traffic anomaly model {} of node {} is of an earlier build (format {}): retraining it from the "
                    + "kept windows", p.publishedVersion(), ctx.getCurrentKey(), TrafficAnomalyModel.format(model.value()));
            model.clear();
            loaded.remove(ctx.getCurrentKey());
            p = p.published(null);
        }
        if (p.publishedVersion() != null) {
            TrafficAnomalyModel m = current(ctx.getCurrentKey(), p.publishedVersion());
            flagged = judge(w, v, m, p.publishedVersion(), out);
            model.update(m.toBytes()); // it learnt from the window (or its tail fit counted it)
        }
        List<double[]> h = new ArrayList<>();
        history.get().forEach(h::add);
        if (!flagged) { // a flagged window stays out of the next training too, for the same reason
            h.add(v);
        }
        if (h.size() > settings.anomalyHistoryWindows()) {
            h = new ArrayList<>(h.subList(h.size() - settings.anomalyHistoryWindows(), h.size()));
        }
        history.update(h);
        p = p.window(h.size(), now);
        progress.update(p);
        if (tickAt.value() == null) {
            long t = now + settings.tickMillis();
            ctx.timerService().registerProcessingTimeTimer(t);
            tickAt.update(t);
        }
    }

    private TrafficAnomalyModel current(String node, String version) throws Exception {
        Loaded l = loaded.get(node);
        if (l == null || !l.version().equals(version)) {
            l = new Loaded(version, TrafficAnomalyModel.fromBytes(model.value()));
            loaded.put(node, l);
        }
        return l.model();
    }

    /** Scores the window (the model learns from it unless it is above the threshold); whether it was above. */
    private boolean judge(WindowStats w, double[] v, TrafficAnomalyModel m, String version, Collector<Anomaly> out)
            throws Exception {
        TrafficAnomalyModel.Verdict verdict = m.observe(v);
        double score = verdict.score();
        OutlierRun before = run.value() == null ? OutlierRun.quiet() : run.value();
        OutlierRun after = before.next(verdict.outlier());
        run.update(after);
        if (!after.raisedFrom(before)) {
            return verdict.outlier();
        }
        StringBuilder why = new StringBuilder();
        for (Map.Entry<String, Double> e : m.attribution(v, 3).entrySet()) {
            int f = TrafficFeatures.NAMES.indexOf(e.getKey());
            why.append(why.length() == 0 ? "" : ", ").append(String.format("%s %.0f%% (%+.1fσ)", e.getKey(),
                    100 * e.getValue(), m.sigmas(v, f)));
        }
        double threshold = verdict.threshold();
        Severity severity = score > 1.5 * threshold ? Severity.CRITICAL : Severity.WARNING;
        out.collect(new Anomaly(w.nodeId(), WindowStats.ALL_TYPES, AnomalyKind.MODEL_OUTLIER, severity, score, score,
                m.medianScore(), 0, threshold, w.windowStartMillis(), w.windowEndMillis(),
                String.format("window scored %.2f by %s (threshold %.2f), %d of the last %d windows above it; "
                        + "unusual: %s", score, version, threshold, Integer.bitCount(after.recentAbove()),
                        OutlierRun.LAST, why)));
        return true;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Anomaly> out) throws Exception {
        String node = ctx.getCurrentKey();
        AnomalyProgress p = progress.value();
        if (p == null) {
            tickAt.clear();
            return;
        }
        Future<Trained> running = inFlight.get(node);
        if (running != null && running.isDone()) {
            inFlight.remove(node);
            p = pickUp(running, p, ctx);
            running = null;
        }
        if (running == null && timestamp - p.lastInputAtMillis() >= settings.nodeIdleMillis()) {
            history.clear();
            progress.clear();
            run.clear();
            model.clear();
            tickAt.clear();
            loaded.remove(node);
            return;
        }
        boolean due = p.retrainRequested() || p.publishedVersion() == null
                || timestamp - p.lastTrainedAtMillis() >= settings.retrainIntervalMillis();
        if (running == null && due && p.windows() >= MIN_WINDOWS && p.newWindows() == 0) {
            LOG.info("traffic anomaly model of node {} not retrained{}: no new windows since {} was trained; it stays",
                    node, p.retrainRequested() ? " on request" : "", p.publishedVersion());
            p = p.skipped(timestamp);
        } else if (running == null && due && p.windows() >= MIN_WINDOWS
                && timestamp - p.lastTrainedAtMillis() >= settings.tickMillis()) {
            List<double[]> windows = new ArrayList<>();
            history.get().forEach(windows::add);
            String version = ModelReport.TRAFFIC_ANOMALY + "/" + node + "/v" + (p.versions() + 1);
            inFlight.put(node, trainer.submit(() -> train(node, windows, version, timestamp)));
            p = p.trainingStarted(timestamp);
        }
        progress.update(p);
        long next = timestamp + settings.tickMillis();
        ctx.timerService().registerProcessingTimeTimer(next);
        tickAt.update(next);
    }

    /** {@code nowMillis}: the processing time the training started at (Flink's clock), the report's time. */
    private Trained train(String node, List<double[]> windows, String version, long nowMillis) {
        TrafficAnomalyModel m = TrafficAnomalyModel.train(windows, settings.anomalyFalseAlarmShare(), settings.seed());
        byte[] bytes = m.toBytes();
        Map<String, Double> importance = new java.util.LinkedHashMap<>();
        for (String f : TrafficFeatures.NAMES) {
            importance.put(f, 0.0);
        }
        // importance: each feature's mean share of the score over the training windows above the threshold
        int outliers = 0;
        for (double[] w : windows) {
            if (m.isOutlier(m.score(w))) {
                outliers++;
                m.attribution(w, TrafficFeatures.NAMES.size()).forEach((k, x) -> importance.merge(k, x, Double::sum));
            }
        }
        int n = Math.max(1, outliers);
        importance.replaceAll((k, x) -> Math.round(1000 * x / n) / 1000.0);
        String detail = String.format("published: threshold %.3f at the %.5f quantile (a false-alarm budget of %.3g "
                + "of the windows) of an exponential tail fitted to the out-of-sample scores of %d windows (median %.3f); "
                + "%d training windows above it; live windows below it keep training the forest", m.threshold(),
                1 - m.falseAlarmShare(), m.falseAlarmShare(), m.scoresSeen(), m.medianScore(), outliers);
        ModelReport report = new ModelReport(ModelReport.TRAFFIC_ANOMALY, node, version,
                "random-cut-forest " + TrafficAnomalyModel.TREES + " trees, sample " + TrafficAnomalyModel.SAMPLE_SIZE,
                nowMillis, windows.size(), windows.size(), 0, true, null, null,
                Math.round(m.threshold() * 10_000) / 10_000.0, importance, detail,
                Base64.getEncoder().encodeToString(bytes));
        return new Trained(report, bytes);
    }

    @Override
    public void processBroadcastElement(ControlCommand cmd, Context ctx, Collector<Anomaly> out) throws Exception {
        if (!ControlCommand.RETRAIN.equals(cmd.command())) {
            return; // the latency trainer logs unknown commands once
        }
        ctx.applyToKeyedState(PROGRESS, (node, state) -> {
            AnomalyProgress p = state.value();
            if (p != null && (cmd.nodeId() == null || cmd.nodeId().equals(node))) {
                state.update(p.requested());
            }
        });
    }

    private AnomalyProgress pickUp(Future<Trained> done, AnomalyProgress p, OnTimerContext ctx) throws Exception {
        try {
            Trained t = done.get();
            model.update(t.bytes());
            ctx.output(MODELS, t.report());
            return p.published(t.report().version());
        } catch (ExecutionException e) {
            LOG.warn("traffic anomaly training of node {} failed", ctx.getCurrentKey(), e.getCause());
            return p;
        }
    }
}
