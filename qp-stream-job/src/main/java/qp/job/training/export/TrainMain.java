package qp.job.training.export;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import qp.job.config.JobConfig;
import qp.job.config.JobOptions;
import qp.job.training.LatencyTrainingRun;
import qp.job.training.NodeFacts;
import qp.job.training.ParameterEffects;
import qp.job.training.RecentSample;
import qp.job.training.TrafficAnomalyModel;
import qp.job.training.TrafficFeatures;
import qp.job.training.TrainingOptions;
import qp.job.training.TrainingRow;
import qp.job.training.TrainingSettings;
import qp.protocol.analytics.ModelReport;
import qp.protocol.analytics.Recommendation;
import qp.protocol.events.NodeMetrics;
import qp.protocol.json.QpJson;
import qp.protocol.params.TunableParams;

/**
 * {@code bin/qp train --from FILE [--json] [job training options]}: trains the job's models on an export file, in
 * batch, with the job's own code, and prints each model's scores and feature importance and the recommendations.
 * Exit codes: 0 trained, 1 nothing to train on, 2 bad arguments or a missing or malformed file (one line saying which).
 */
public final class TrainMain {
    private TrainMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, Clock.systemUTC()));
    }

    /** {@code clock}: the time the reports and recommendations are stamped with. */
    public static int run(String[] args, PrintStream out, PrintStream err, Clock clock) {
        Path from = null;
        boolean json = false;
        List<String> jobArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--from" -> {
                    if (i + 1 >= args.length) {
                        err.println("qp train: --from needs a file (an export: JSON Lines, optionally .gz)");
                        return 2;
                    }
                    from = Path.of(args[++i]);
                }
                case "--json" -> json = true;
                case "--help", "-h" -> {
                    out.println("usage: bin/qp train --from FILE [--json] [--r2-gate 0.7] [--forest-trees 30] "
                            + "[--forest-depth 10] [--train-sample-size 10000] [--train-horizon 10m] "
                            + "[--slo-p99 200ms] "
                            + "[--anomaly-false-alarms-per-hour 1] [--window-size 10s] [--frames-topic qp.frames] [--node-metrics-topic qp.node-metrics]");
                    return 0;
                }
                default -> jobArgs.add(args[i]);
            }
        }
        if (from == null) {
            err.println("qp train: --from FILE is required (an export file, see bin/qp help)");
            return 2;
        }
        JobConfig config;
        try {
            config = JobConfig.parse(jobArgs.toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            err.println("qp train: " + e.getMessage());
            return 2;
        }
        Map<String, ExportTrainingData.NodeData> data;
        try {
            data = ExportTrainingData.read(from, config.get(JobOptions.FRAMES_TOPIC),
                    config.get(JobOptions.NODE_METRICS_TOPIC), config.get(JobOptions.WINDOW_STATS_TOPIC));
        } catch (IOException e) {
            err.println("qp train: " + (e.getMessage() == null ? from + ": " + e : e.getMessage()));
            return 2;
        }
        TrainingSettings settings;
        try {
            settings = TrainingOptions.settings(config);
        } catch (IllegalArgumentException e) {
            err.println("qp train: " + e.getMessage());
            return 2;
        }
        List<ModelReport> models = new ArrayList<>();
        List<Recommendation> recommendations = new ArrayList<>();
        Map<String, List<ParameterEffects.Effect>> effects = new HashMap<>();
        long now = clock.millis();
        for (Map.Entry<String, ExportTrainingData.NodeData> e : data.entrySet()) {
            String node = e.getKey();
            ExportTrainingData.NodeData d = e.getValue();
            List<TrainingRow> rows = sample(d.rows(), settings);
            if (rows.size() >= 10) {
                LatencyTrainingRun.Outcome o = LatencyTrainingRun.run(facts(node, d.samples()), rows,
                        sample(d.outbound(), settings), settings, LatencyTrainingRun.version(node, 1), null, now);
                models.add(o.report());
                recommendations.addAll(o.recommendations());
                effects.put(o.report().version(), o.effects());
            }
            if (d.windows().size() >= 16) {
                models.add(anomalyModel(node, d, settings, now));
            }
        }
        if (models.isEmpty()) {
            err.println("qp train: " + from + " holds no node with 10 replied frames joined to its node metrics (topics "
                    + config.get(JobOptions.FRAMES_TOPIC) + " and " + config.get(JobOptions.NODE_METRICS_TOPIC)
                    + ") nor 16 windows (" + config.get(JobOptions.WINDOW_STATS_TOPIC) + "): nothing to train");
            return 1;
        }
        if (json) {
            out.println(QpJson.string(json(models, recommendations, effects)));
        } else {
            print(models, recommendations, effects, out);
        }
        return 0;
    }

    /** The rows the job would hold at the end of the file: the same {@link RecentSample}, in a map. */
    static List<TrainingRow> sample(List<TrainingRow> all, TrainingSettings settings) {
        RecentSample sampler = settings.recentSample();
        long[] buckets = sampler.emptyBuckets();
        Map<Integer, TrainingRow> kept = new HashMap<>();
        RecentSample.Rows store = new RecentSample.Rows() {
            @Override
            public TrainingRow get(int slot) {
                return kept.get(slot);
            }

            @Override
            public void put(int slot, TrainingRow row) {
                kept.put(slot, row);
            }

            @Override
            public void remove(int slot) {
                kept.remove(slot);
            }

            @Override
            public void clear() {
                kept.clear();
            }
        };
        Random random = new Random(settings.seed());
        try {
            for (TrainingRow r : all) {
                sampler.offer(r, buckets, store, random);
            }
            return sampler.rows(buckets, store);
        } catch (Exception e) {
            throw new IllegalStateException("an in-memory sample cannot fail", e);
        }
    }

    private static NodeFacts facts(String node, List<NodeMetrics> samples) {
        NodeMetrics last = samples.isEmpty() ? null : samples.get(samples.size() - 1);
        long timeouts = samples.stream().mapToLong(m -> Math.max(0, m.heartbeatTimeouts())).sum();
        return new NodeFacts(node, last != null && last.params() != null ? last.params() : TunableParams.defaults(),
                last == null ? 0 : last.paramVersion(), timeouts, samples.size());
    }

    private static ModelReport anomalyModel(String node, ExportTrainingData.NodeData d, TrainingSettings s, long now) {
        List<double[]> windows = d.windows().stream().map(TrafficFeatures::of).toList();
        TrafficAnomalyModel m = TrafficAnomalyModel.train(windows, s.anomalyFalseAlarmShare(), s.seed());
        long outliers = windows.stream().filter(w -> m.isOutlier(m.score(w))).count();
        return new ModelReport(ModelReport.TRAFFIC_ANOMALY, node, ModelReport.TRAFFIC_ANOMALY + "/" + node + "/v1",
                "random-cut-forest", now, windows.size(), windows.size(), 0, true, null, null, m.threshold(), Map.of(),
                String.format("threshold %.3f; %d of %d windows above it", m.threshold(), outliers, windows.size()),
                Base64.getEncoder().encodeToString(m.toBytes()));
    }

    private static ObjectNode json(List<ModelReport> models, List<Recommendation> recommendations,
            Map<String, List<ParameterEffects.Effect>> effects) {
        ObjectNode root = QpJson.object();
        ArrayNode ms = root.putArray("models");
        for (ModelReport m : models) {
            ObjectNode n = ms.addObject();
            n.put("name", m.name()).put("nodeId", m.nodeId()).put("version", m.version()).put("published", m.published());
            n.putPOJO("r2", m.r2()).putPOJO("mae", m.maeMicros()).put("rows", m.rows())
                    .put("trainRows", m.trainRows()).put("testRows", m.testRows())
                    .putPOJO("scoreThreshold", m.scoreThreshold());
            n.set("featureImportance", QpJson.mapper().valueToTree(m.featureImportance()));
            if (effects.containsKey(m.version())) {
                n.set("parameterEffects", QpJson.mapper().valueToTree(effects.get(m.version())));
            }
            n.put("detail", m.detail());
        }
        root.set("recommendations", QpJson.mapper().valueToTree(recommendations));
        return root;
    }

    private static void print(List<ModelReport> models, List<Recommendation> recs,
            Map<String, List<ParameterEffects.Effect>> effects, PrintStream out) {
        for (ModelReport m : models) {
            out.printf("%s  %s  %s%n", m.version(), m.published() ? "published" : "REJECTED", m.detail());
            if (m.r2() != null) {
                out.printf("  R² %.3f  MAE %.0f µs  rows %d (%d train, %d test)  %s%n", m.r2(), m.maeMicros(), m.rows(),
                        m.trainRows(), m.testRows(), m.algorithm());
            }
            if (!m.featureImportance().isEmpty()) {
                StringBuilder sb = new StringBuilder("  permutation importance:");
                m.featureImportance().entrySet().stream()
                        .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
                        .forEach(e -> sb.append(String.format(" %s %.3f,", e.getKey(), e.getValue())));
                out.println(sb.substring(0, sb.length() - 1));
            }
            for (ParameterEffects.Effect e : effects.getOrDefault(m.version(), List.of())) {
                out.printf("  effect of %s %d -> %d: latency %+.1f%% (95%% interval %+.1f%% .. %+.1f%%, on %d held-out "
                        + "cells at %d in %d runs of either value; the model's own %+.1f%%)%n", e.parameter(), e.from(),
                        e.to(), 100 * e.effect(), 100 * e.low(), 100 * e.high(), e.cells(), e.to(), e.runs(),
                        100 * e.modelEffect());
            }
        }
        out.println(recs.isEmpty() ? "no recommendations" : recs.size() + " recommendation(s):");
        for (Recommendation r : recs) {
            out.printf("  [confidence %.2f] %s%n", r.confidence(), r.evidence());
        }
    }
}
