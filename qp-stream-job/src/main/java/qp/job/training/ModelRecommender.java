package qp.job.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import qp.protocol.analytics.Recommendation;
import qp.protocol.params.TunableParameter;
import qp.protocol.params.TunableParams;

/**
 * Turns a node's published latency model and its training rows into recommendations ({@code source=model}).
 * Each rule asks the model a what-if question on a spread sample of the rows (the same rows with one parameter
 * changed) and proposes only what the model predicts to help. A what-if proposal's confidence = model quality
 * (held-out R²) × data volume × agreement of the forest's trees; a measured one (a parameter that varied at random,
 * the bytes compression saves on the node's outgoing frames) states the probability that its improvement exceeds
 * {@code --min-improvement}. Expected improvement is the predicted or measured change of the named metric.
 * Nothing is proposed outside PROTOCOL.md's ranges or equal to the current value ({@link #guarded}).
 *
 * <p>A proposal's id names the model version that made it ({@link #guarded}): each training offers its proposals
 * anew, so one that a gate stopped for the moment ({@code in_flight}, {@code cooldown}) comes back with the next
 * model instead of being recognised as already decided.
 */
public final class ModelRecommender {
    static final String MODEL_NAME = "latency-model";
    static final String HEARTBEAT_NAME = "heartbeat-timeouts";
    static final String MEASURED_NAME = "measured-effect";

    private final RecommenderSettings settings;

    public ModelRecommender(RecommenderSettings settings) {
        this.settings = settings;
    }

    /**
     * What a published model proposes for a node. A parameter with a measured effect (its values varied at random in
     * the data: an experiment's arms, a switchback) is proposed from that measurement; the what-if rules below speak
     * only for the parameters without one.
     */
    public List<Recommendation> recommend(NodeFacts node, List<TrainingRow> rows, List<TrainingRow> outbound,
            LatencyModel model, double r2, String modelVersion, long nowMillis, List<ParameterEffects.Effect> effects) {
        List<TrainingRow> sample = spread(rows, settings.counterfactualRows());
        List<Recommendation> out = new ArrayList<>();
        Context c = new Context(node, rows, outbound, sample, model, r2, modelVersion, nowMillis);
        measured(c, TunableParameter.BUFFER_SIZE, effects).ifPresentOrElse(out::add, () -> bufferSize(c).ifPresent(out::add));
        compressionThreshold(c).ifPresent(out::add);
        heartbeatInterval(c).ifPresent(out::add);
        return out;
    }

    /**
     * What a node's rows propose when its latency model did not pass its gate: only what is measured without that
     * model, the bytes compression saves on its outgoing frames.
     */
    public List<Recommendation> recommendMeasured(NodeFacts node, List<TrainingRow> rows, List<TrainingRow> outbound,
            double r2, String modelVersion, long nowMillis) {
        Context c = new Context(node, rows, outbound, spread(rows, settings.counterfactualRows()), null, r2,
                modelVersion, nowMillis);
        return compressionThreshold(c).map(List::of).orElse(List.of());
    }

    /**
     * A latency parameter whose values the data varied at random: the measured value that most probably lowers
     * latency by more than {@code --min-improvement}, proposed with that probability as its confidence and the measured
     * effect as its expected improvement. Only a parameter whose experiments are judged on latency (buffer_size:
     * STREAM latency) is proposed this way; the others' goals (bytes, refusals, heartbeats) are not this model's.
     */
    private Optional<Recommendation> measured(Context c, TunableParameter p, List<ParameterEffects.Effect> effects) {
        long current = c.current(p);
        ParameterEffects.Effect best = null;
        double confidence = -1;
        for (ParameterEffects.Effect e : effects) {
            if (e.parameter().equals(p.wireName()) && e.from() == current && e.effect() < 0) {
                double probability = e.probabilityOfLowering(settings.minImprovement());
                if (probability > confidence) {
                    best = e;
                    confidence = probability;
                }
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        String why = String.format("measured where it varied at random: latency %+.0f%% at %s (95%% interval %+.0f%% .. "
                        + "%+.0f%%) on %d held-out cells in %d runs; P(lower by more than %.0f%%) = %.2f",
                100 * best.effect(), show(p, best.to()), 100 * best.low(), 100 * best.high(), best.cells(), best.runs(),
                100 * settings.minImprovement(), confidence);
        return guarded(c, p, best.to(), confidence, -best.effect(), "latency", MEASURED_NAME, why);
    }

    /**
     * @param rows     received frames that got a reply (the latency model's rows)
     * @param outbound frames the node sent with a payload of at least the least compression threshold: what the
     *                 threshold governs, compressed or not as the node's threshold and the session's wish had it
     */
    private record Context(NodeFacts node, List<TrainingRow> rows, List<TrainingRow> outbound, List<TrainingRow> sample,
            LatencyModel model, double r2, String modelVersion, long nowMillis) {
        long current(TunableParameter p) {
            return node.params().get(p);
        }
    }

    /** buffer_size: mean + 2σ of payload sizes (1 KiB steps, 4–64 KiB), when the model predicts a lower p95. */
    private Optional<Recommendation> bufferSize(Context c) {
        double mean = c.rows().stream().mapToLong(TrainingRow::payloadSize).average().orElse(0);
        double var = c.rows().stream().mapToDouble(r -> (r.payloadSize() - mean) * (r.payloadSize() - mean)).average().orElse(0);
        long proposed = roundUp((long) Math.ceil(mean + 2 * Math.sqrt(var)), 1024);
        proposed = clamp(TunableParameter.BUFFER_SIZE, proposed);
        long current = c.current(TunableParameter.BUFFER_SIZE);
        if (proposed == current) {
            return Optional.empty();
        }
        long p = proposed;
        double before = p95(c.model(), c.sample(), r -> ParameterEffects.with(r, TunableParameter.BUFFER_SIZE, current));
        double after = p95(c.model(), c.sample(), r -> ParameterEffects.with(r, TunableParameter.BUFFER_SIZE, p));
        double gain = 1 - after / before;
        if (!(gain >= settings.minGain())) {
            return Optional.empty(); // the model does not predict a gain: payload sizes alone are no reason
        }
        String why = String.format("payload mean %.0f B, σ %.0f B -> mean+2σ %d B; predicted p95 %.0f -> %.0f µs",
                mean, Math.sqrt(var), proposed, before, after);
        return guarded(c, TunableParameter.BUFFER_SIZE, proposed, confidence(c, c.sample()), gain, "latency_p95",
                MODEL_NAME, why);
    }

    /**
     * compression_threshold, from the frames the node sent (the threshold governs outgoing frames; a client's own
     * compression of what it sends says nothing about it): the payload size above which they carry 80% of the payload
     * bytes, when compressed ones show a ratio under 0.9; the saving is (1 - ratio) × the share of bytes above it,
     * against the bytes sent at the current threshold (so only a lower threshold, or turning compression on, can save
     * bytes). Its confidence is the probability that the saving exceeds {@code --min-improvement}, from a block
     * bootstrap of the frames ({@link #probabilityOfSaving}). Compressing costs CPU and latency that the latency model
     * cannot tell (its rows are received frames), so no model vetoes it: the experiment that proves the change has
     * the p99 guards and the SLO guard armed.
     */
    private Optional<Recommendation> compressionThreshold(Context c) {
        List<TrainingRow> sent = c.outbound();
        double ratio = compressionRatio(sent);
        if (!(ratio < 0.9)) {
            return Optional.empty(); // no compressed frame seen (the ratio would be a guess), or it hardly shrinks
        }
        long[] sizes = sent.stream().mapToLong(TrainingRow::payloadSize).sorted().toArray();
        long total = Arrays.stream(sizes).sum();
        long below = 0;
        long threshold = sizes[sizes.length - 1];
        for (long s : sizes) {
            if (below + s > 0.2 * total) {
                threshold = s;
                break;
            }
            below += s;
        }
        double share = shareAtOrAbove(sizes, total, threshold);
        long proposed = clamp(TunableParameter.COMPRESSION_THRESHOLD, Math.max(256, threshold / 256 * 256));
        long current = c.current(TunableParameter.COMPRESSION_THRESHOLD);
        if (current != TunableParams.OFF && Math.abs(proposed - current) < 0.25 * current) {
            return Optional.empty(); // already close: not worth a change
        }
        double gain = saving(sent, current, proposed);
        if (!(gain >= settings.minGain())) {
            return Optional.empty();
        }
        double confidence = probabilityOfSaving(sent, current, proposed, settings.minImprovement(),
                c.node().nodeId().hashCode());
        String why = String.format("sent frames compressed shrink to %.0f%% of their size; sent frames >= %d B carry "
                        + "%.0f%% of payload bytes; P(saving > %.0f%%) = %.2f over %d bootstrap resamples of %d runs of "
                        + "%d sent frames; latency: the experiment's p99 and SLO guards",
                100 * ratio, proposed, 100 * share, 100 * settings.minImprovement(), confidence, BOOTSTRAP_RESAMPLES,
                BOOTSTRAP_BLOCKS, sent.size());
        return guarded(c, TunableParameter.COMPRESSION_THRESHOLD, proposed, confidence, gain, "bytes", MODEL_NAME, why);
    }

    static final int BOOTSTRAP_RESAMPLES = 400;
    static final int BOOTSTRAP_BLOCKS = 20;

    /** Wire bytes per raw byte of the compressed frames with a payload; NaN without any. */
    static double compressionRatio(List<TrainingRow> rows) {
        return ByteSums.of(rows, TunableParams.OFF, TunableParams.OFF).ratio();
    }

    /**
     * Bytes saved by moving the threshold from {@code current} to {@code proposed}, relative to the bytes sent at
     * {@code current}: with everything plain as 1, a threshold sends 1 - (1 - ratio) × the share of payload bytes at
     * or above it. NaN when no compressed frame gives the ratio.
     */
    static double saving(List<TrainingRow> rows, long current, long proposed) {
        return ByteSums.of(rows, current, proposed).saving(current);
    }

    /**
     * The sums a saving is computed from. They add up, so a bootstrap resample of runs of rows is the sum of its runs'
     * sums, not a list of their rows.
     */
    private record ByteSums(long compressedRaw, long compressedWire, long total, long atOrAboveCurrent,
            long atOrAboveProposed) {
        static ByteSums of(List<TrainingRow> rows, long current, long proposed) {
            long raw = 0;
            long wire = 0;
            long total = 0;
            long aboveCurrent = 0;
            long aboveProposed = 0;
            for (TrainingRow r : rows) {
                long size = r.payloadSize();
                if (r.compressed() && size > 0) {
                    raw += size;
                    wire += r.wireBytes();
                }
                total += size;
                aboveCurrent += size >= current ? size : 0;
                aboveProposed += size >= proposed ? size : 0;
            }
            return new ByteSums(raw, wire, total, aboveCurrent, aboveProposed);
        }

        ByteSums plus(ByteSums o) {
            return new ByteSums(compressedRaw + o.compressedRaw, compressedWire + o.compressedWire, total + o.total,
                    atOrAboveCurrent + o.atOrAboveCurrent, atOrAboveProposed + o.atOrAboveProposed);
        }

        double ratio() {
            return compressedRaw == 0 ? Double.NaN : (double) compressedWire / compressedRaw;
        }

        double saving(long current) {
            double ratio = ratio();
            double shareNow = current == TunableParams.OFF || total == 0 ? 0 : (double) atOrAboveCurrent / total;
            double shareThen = total == 0 ? 0 : (double) atOrAboveProposed / total;
            return 1 - (1 - (1 - ratio) * shareThen) / (1 - (1 - ratio) * shareNow);
        }
    }

    /**
     * The share of bootstrap resamples in which the saving exceeds {@code minImprovement}. Rows of one session and one
     * moment are alike, so they are resampled in runs: the rows (in arrival order) in {@link #BOOTSTRAP_BLOCKS} runs,
     * drawn with replacement; a resample without a compressed frame counts as no saving. Seeded, so the same rows
     * give the same confidence.
     */
    static double probabilityOfSaving(List<TrainingRow> rows, long current, long proposed, double minImprovement,
            long seed) {
        int n = rows.size();
        int blocks = Math.min(BOOTSTRAP_BLOCKS, n);
        ByteSums[] runs = new ByteSums[blocks];
        for (int k = 0; k < blocks; k++) {
            runs[k] = ByteSums.of(rows.subList((int) ((long) k * n / blocks), (int) ((long) (k + 1) * n / blocks)),
                    current, proposed);
        }
        SplittableRandom random = new SplittableRandom(seed);
        int above = 0;
        for (int b = 0; b < BOOTSTRAP_RESAMPLES; b++) {
            ByteSums resample = new ByteSums(0, 0, 0, 0, 0);
            for (int k = 0; k < blocks; k++) {
                resample = resample.plus(runs[random.nextInt(blocks)]);
            }
            if (resample.saving(current) > minImprovement) {
                above++;
            }
        }
        return (double) above / BOOTSTRAP_RESAMPLES;
    }

    private static double shareAtOrAbove(long[] sizes, long total, long threshold) {
        return total == 0 ? 0 : (double) Arrays.stream(sizes).filter(s -> s >= threshold).sum() / total;
    }

    /**
     * heartbeat_interval: raised by half (5 s steps, at most 60 s) when sessions time out at least
     * {@code heartbeatTimeoutsPerMinute} times a minute; a session closes after 2× the interval of silence, so with
     * idle gaps spread evenly the timeouts fall by 1 - old/new. Never lowered: a shorter interval only adds traffic.
     */
    private Optional<Recommendation> heartbeatInterval(Context c) {
        double perMinute = c.node().heartbeatTimeoutsPerMinute();
        long current = c.current(TunableParameter.HEARTBEAT_INTERVAL);
        if (perMinute < settings.heartbeatTimeoutsPerMinute() || current >= TunableParameter.HEARTBEAT_INTERVAL.max()) {
            return Optional.empty();
        }
        long proposed = clamp(TunableParameter.HEARTBEAT_INTERVAL, roundUp((long) (current * 1.5), 5_000));
        double gain = 1 - (double) current / proposed;
        double volume = Math.min(1, c.node().observedSeconds() / 300.0);
        double confidence = round(0.4 + 0.5 * volume);
        String why = String.format("%.1f heartbeat timeouts a minute over %d s of samples", perMinute,
                c.node().observedSeconds());
        return guarded(c, TunableParameter.HEARTBEAT_INTERVAL, proposed, confidence, gain, "heartbeat_timeouts",
                HEARTBEAT_NAME, why);
    }

    /** The one exit of every rule: in range, different from the current value, scores in 0..1. */
    private Optional<Recommendation> guarded(Context c, TunableParameter p, long proposed, double confidence,
            double gain, String metric, String rule, String why) {
        long current = c.current(p);
        if (p.validate(proposed) != null || proposed == current || !(gain > 0)) {
            return Optional.empty();
        }
        double improvement = round(Math.min(1, gain));
        double conf = round(Math.max(0, Math.min(1, confidence)));
        String evidence = String.format("node %s | %s %s -> %s | expected -%.0f%% %s | %s | model %s (R² %.2f, %d rows)",
                c.node().nodeId(), p.wireName(), show(p, current), show(p, proposed), 100 * improvement, metric, why,
                c.modelVersion(), c.r2(), c.rows().size());
        String id = Recommendation.idFor(c.node().nodeId(), p.wireName(), current, proposed, c.node().paramVersion(),
                Recommendation.SOURCE_MODEL, idName(rule, c.modelVersion()));
        return Optional.of(new Recommendation(id, c.node().nodeId(), p.wireName(), current, proposed, conf, improvement,
                metric, Recommendation.SOURCE_MODEL, c.modelVersion(), rule, evidence, c.node().paramVersion(),
                c.nowMillis()));
    }

    /** The rule-or-model part of a proposal's id: the rule and the model version that made it. */
    public static String idName(String rule, String modelVersion) {
        return rule + "@" + modelVersion;
    }

    /** quality (R²) × volume (rows / fullConfidenceRows, half weight) × tree agreement 1 / (1 + relative spread). */
    private double confidence(Context c, List<TrainingRow> rows) {
        double quality = Math.max(0, Math.min(1, c.r2()));
        double volume = Math.min(1, (double) c.rows().size() / settings.fullConfidenceRows());
        double spread = 0;
        int n = 0;
        for (TrainingRow r : rows) {
            double[] m = c.model().memberPredictionsMicros(r);
            double mean = Arrays.stream(m).average().orElse(0);
            if (mean > 0) {
                double sd = Math.sqrt(Arrays.stream(m).map(x -> (x - mean) * (x - mean)).average().orElse(0));
                spread += sd / mean;
                n++;
            }
            if (n >= 100) {
                break;
            }
        }
        double agreement = 1 / (1 + (n == 0 ? 1 : spread / n));
        return quality * (0.5 + 0.5 * volume) * agreement;
    }

    static double p95(LatencyModel model, List<TrainingRow> rows, UnaryOperator<TrainingRow> change) {
        if (rows.isEmpty()) {
            return 0;
        }
        double[] p = new double[rows.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = model.predictMicros(change.apply(rows.get(i)));
        }
        Arrays.sort(p);
        return p[Math.min(p.length - 1, (int) Math.ceil(0.95 * p.length) - 1)];
    }

    /** Up to {@code n} rows taken evenly over the list (the rows are in arrival order: this spans the time). */
    static List<TrainingRow> spread(List<TrainingRow> rows, int n) {
        if (rows.size() <= n) {
            return rows;
        }
        List<TrainingRow> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(rows.get((int) ((long) i * rows.size() / n)));
        }
        return out;
    }

    private static long clamp(TunableParameter p, long v) {
        return Math.max(p.min(), Math.min(p.max(), v));
    }

    private static long roundUp(long v, long step) {
        return (v + step - 1) / step * step;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    static String show(TunableParameter p, long value) {
        return p.allowsOff() && value == TunableParams.OFF ? "off" : value + " " + p.unit();
    }
}
