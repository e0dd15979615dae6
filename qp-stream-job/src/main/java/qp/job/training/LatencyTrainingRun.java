package qp.job.training;

import java.util.Base64;
import java.util.List;
import qp.protocol.analytics.ModelReport;
import qp.protocol.analytics.Recommendation;

/**
 * One training of a node's latency model, the same in the job (on its background thread) and in {@code bin/qp train}:
 * train on 80%, score on 20%, publish only at or above the R² gate, and make the recommendations of a published model.
 */
public final class LatencyTrainingRun {
    private LatencyTrainingRun() {
    }

    /**
     * @param report          what goes to qp.models (published or rejected, with its scores)
     * @param modelBytes      the published model's bytes, null when rejected
     * @param recommendations what the published model proposes (empty when rejected)
     * @param effects         what the published model says each parameter that varied does (empty when rejected)
     */
    public record Outcome(ModelReport report, byte[] modelBytes, List<Recommendation> recommendations,
            List<ParameterEffects.Effect> effects) {
        public boolean published() {
            return modelBytes != null;
        }
    }

    public static String version(String nodeId, long number) {
        return ModelReport.LATENCY + "/" + nodeId + "/v" + number;
    }

    /**
     * Largest model (base64 characters) put on qp.models: a record above the broker's and producer's default 1 MiB
     * ({@code message.max.bytes}, {@code max.request.size}) fails the sink and with it the job (a 30-tree forest of
     * depth 10 on 10,000 rows came to 6.8 MB in TrainingStallBenchmark).
     */
    static final int MAX_MODEL_BASE64_CHARS = 900_000;

    /**
     * @param rows     received frames that got a reply: the latency model's rows
     * @param outbound sent frames with a payload the compression threshold can govern: what the bytes compression
     *                 saves are measured on
     * @param previous a sentence about the model in force (kept on rejection), or null when there is none
     */
    public static Outcome run(NodeFacts node, List<TrainingRow> rows, List<TrainingRow> outbound,
            TrainingSettings settings, String version, String previous, long nowMillis) {
        LatencyTrainer trainer = settings.latencyTrainer();
        LatencyEvaluation.Scored s;
        try {
            s = LatencyEvaluation.trainAndScore(rows, trainer, settings.seed());
        } catch (RuntimeException e) {
            String detail = "training failed on " + rows.size() + " rows: " + e.getMessage()
                    + (previous == null ? "" : "; " + previous + " stays");
            return new Outcome(new ModelReport(ModelReport.LATENCY, node.nodeId(), version, "random-forest", nowMillis,
                    rows.size(), 0, 0, false, null, null, null, java.util.Map.of(), detail, null), null, List.of(), List.of());
        }
        boolean pass = s.r2() >= settings.r2Gate();
        String detail = pass
                ? String.format("published: held-out R² %.3f >= gate %.2f; %s", s.r2(), settings.r2Gate(),
                        scores(s, rows))
                : String.format("rejected: held-out R² %.3f < gate %.2f (%s); %s", s.r2(), settings.r2Gate(),
                        scores(s, rows),
                        previous == null ? "no model is published yet" : previous + " stays");
        byte[] bytes = pass ? s.model().toBytes() : null;
        String base64 = pass ? Base64.getEncoder().encodeToString(bytes) : null;
        if (base64 != null && base64.length() > MAX_MODEL_BASE64_CHARS) {
            detail += String.format("; the model (%,d bytes) is kept in the job's state but left out of this record: "
                    + "it exceeds the %,d bytes a Kafka record may carry by default (fewer --forest-trees or a smaller "
                    + "--forest-depth make it fit)", bytes.length, MAX_MODEL_BASE64_CHARS);
            base64 = null;
        }
        ModelReport report = new ModelReport(ModelReport.LATENCY, node.nodeId(), version, s.model().algorithm(),
                nowMillis, rows.size(), s.trainRows(), s.testRows(), pass, round(s.r2()), round(s.maeMicros()), null,
                s.featureImportance(), detail, base64);
        List<ParameterEffects.Effect> effects = pass ? ParameterEffects.of(s.model(), rows, s.heldOut()) : List.of();
        ModelRecommender recommender = new ModelRecommender(settings.recommender());
        List<Recommendation> recs = pass
                ? recommender.recommend(node, rows, outbound, s.model(), s.r2(), version, nowMillis, effects)
                : recommender.recommendMeasured(node, rows, outbound, s.r2(), version, nowMillis);
        return new Outcome(report, bytes, recs, effects);
    }

    private static String scores(LatencyEvaluation.Scored s, List<TrainingRow> rows) {
        return String.format("R² of ln(median latency) of %d test cells of alike frames, held out forward in time (the "
                + "last %d s, after a gap of %d s); "
                + "raw-scale R² %.3f, MAE %.0f µs; trained on %d cells from %d frames; the sample spans %d s of "
                + "event time", s.testRows(), s.split().testSeconds(), s.split().gapSeconds(), s.rawR2(), s.maeMicros(), s.trainRows(), s.frames(), spanSeconds(rows));
    }

    /** From the sample's oldest frame to its newest, whole seconds. */
    static long spanSeconds(List<TrainingRow> rows) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (TrainingRow r : rows) {
            min = Math.min(min, r.eventTimeMillis());
            max = Math.max(max, r.eventTimeMillis());
        }
        return rows.isEmpty() ? 0 : (max - min) / 1000;
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
