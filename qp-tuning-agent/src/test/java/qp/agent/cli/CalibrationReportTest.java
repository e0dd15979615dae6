package qp.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qp.agent.calibration.ConfidenceCalibration;
import qp.agent.experiments.ExperimentVerdict;
import qp.agent.store.Database;
import qp.agent.store.SqliteOutcomeStore;
import qp.agent.testing.OutcomeRows;
import qp.agent.testing.ScenarioStore;
import qp.protocol.json.QpJson;

/**
 * {@code bin/qp report} on a real store filled with outcomes drawn from known true calibration curves: the model's
 * recommendations are kept with probability c² at confidence c (overconfident), the rules' with probability c. The
 * expected reliability table, Brier score and left-out counts are computed here from the drawn outcomes; the isotonic
 * fit is checked against the true curve, not against itself.
 */
class CalibrationReportTest {
    static final long NOW = ScenarioStore.NOW;
    static final DoubleUnaryOperator MODEL_TRUTH = c -> c * c;
    static final DoubleUnaryOperator RULES_TRUTH = c -> c;
    static final double[] EDGES = {0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
    static final List<ExperimentVerdict> NOT_KEPT = List.of(ExperimentVerdict.NO_EFFECT, ExperimentVerdict.HARM,
            ExperimentVerdict.GUARD, ExperimentVerdict.TIMED_OUT);

    @TempDir
    Path dir;

    /** One drawn outcome, as the test knows it. */
    record Drawn(String source, double confidence, boolean kept) {
    }

    /** 1000 model outcomes over confidences 0.3..1, 25 rules outcomes over 0.5..1, 4 stopped and 3 never started. */
    static List<Drawn> fill(Path file) throws Exception {
        Random random = new Random(19);
        List<Drawn> drawn = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            double c = 0.3 + 0.7 * random.nextDouble();
            drawn.add(new Drawn("model", c, random.nextDouble() < MODEL_TRUTH.applyAsDouble(c)));
        }
        for (int i = 0; i < 25; i++) {
            double c = 0.5 + 0.5 * random.nextDouble();
            drawn.add(new Drawn("rules", c, random.nextDouble() < RULES_TRUTH.applyAsDouble(c)));
        }
        try (Database db = Database.open(file, ScenarioStore.CLOCK)) {
            db.connection().setAutoCommit(false);
            OutcomeRows rows = new OutcomeRows(db);
            for (int i = 0; i < drawn.size(); i++) {
                Drawn d = drawn.get(i);
                rows.decided(d.source(), d.confidence(), d.kept() ? ExperimentVerdict.KEPT : NOT_KEPT.get(i % 4),
                        NOW - (drawn.size() - i) * 60_000L);
            }
            for (int i = 0; i < 4; i++) { // confident ones an operator stopped: counted, they would pull the table down
                rows.decided("model", 0.95, ExperimentVerdict.STOPPED, NOW - i * 1000L);
            }
            for (int i = 0; i < 3; i++) {
                rows.failedToStart("model", 0.95, NOW - i * 1000L);
            }
            db.connection().commit();
        }
        return drawn;
    }

    static Cli report(Path file, String... more) {
        List<String> args = new ArrayList<>(List.of("report", "--db", file.toString()));
        args.addAll(List.of(more));
        return Cli.run(ScenarioStore.CLOCK, args.toArray(String[]::new));
    }

    static int bandOf(double c) {
        int b = 0;
        while (b < EDGES.length - 2 && c >= EDGES[b + 1]) {
            b++;
        }
        return b;
    }

    /** The Wilson score interval at 95%, as written in Wilson (1927): (p + z²/2n ± z√(p(1-p)/n + z²/4n²)) / (1 + z²/n). */
    static double[] wilson(int kept, int n) {
        double z = 1.959963984540054;
        double p = (double) kept / n;
        double centre = p + z * z / (2 * n);
        double spread = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n));
        double d = 1 + z * z / n;
        return new double[] {(centre - spread) / d, (centre + spread) / d};
    }

    /** The expected table of one source from the drawn outcomes, checked against the report's. */
    static void assertTable(JsonNode source, List<Drawn> drawn) {
        JsonNode bands = source.get("reliability").get("bands");
        assertThat(bands).hasSize(6);
        double squares = 0;
        for (Drawn d : drawn) {
            squares += Math.pow(d.confidence() - (d.kept() ? 1 : 0), 2);
        }
        assertThat(source.get("reliability").get("count").asInt()).isEqualTo(drawn.size());
        assertThat(source.get("reliability").get("brier").asDouble()).isCloseTo(squares / drawn.size(), within(1e-12));
        for (int b = 0; b < 6; b++) {
            int band = b;
            List<Drawn> in = drawn.stream().filter(d -> bandOf(d.confidence()) == band).toList();
            JsonNode row = bands.get(b);
            assertThat(row.get("low").asDouble()).isEqualTo(EDGES[b]);
            assertThat(row.get("high").asDouble()).isEqualTo(EDGES[b + 1]);
            assertThat(row.get("count").asInt()).as("band %d", b).isEqualTo(in.size());
            if (in.isEmpty()) {
                assertThat(row.get("shareKept").isNull()).isTrue();
                continue;
            }
            int kept = (int) in.stream().filter(Drawn::kept).count();
            double mean = in.stream().mapToDouble(Drawn::confidence).average().orElseThrow();
            double[] w = wilson(kept, in.size());
            assertThat(row.get("kept").asInt()).isEqualTo(kept);
            assertThat(row.get("meanConfidence").asDouble()).isCloseTo(mean, within(1e-12));
            assertThat(row.get("shareKept").asDouble()).isCloseTo((double) kept / in.size(), within(1e-12));
            assertThat(row.get("keptLow").asDouble()).isCloseTo(w[0], within(1e-9));
            assertThat(row.get("keptHigh").asDouble()).isCloseTo(w[1], within(1e-9));
        }
    }

    static JsonNode source(JsonNode calibration, String name) {
        for (JsonNode s : calibration.get("sources")) {
            if (s.get("source").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no source " + name + " in " + calibration);
    }

    @Test
    void theReportShowsTheReliabilityTableAndBrierScorePerSourceAndOverall() throws Exception {
        Path file = dir.resolve("agent.db");
        List<Drawn> drawn = fill(file);
        List<Drawn> model = drawn.stream().filter(d -> d.source().equals("model")).toList();
        List<Drawn> rules = drawn.stream().filter(d -> d.source().equals("rules")).toList();

        Cli json = report(file, "--json");
        assertThat(json.code()).as(json.err()).isZero();
        JsonNode c = QpJson.tree(json.out().getBytes(StandardCharsets.UTF_8)).get("calibration");
        assertThat(c.get("minOutcomes").asInt()).isEqualTo(30);
        assertThat(c.get("stopped").asInt()).isEqualTo(4);
        assertThat(c.get("failedToStart").asInt()).isEqualTo(3);
        assertThat(c.get("leftOut").asText()).contains("stopped by an operator", "failed to start", "left out");

        JsonNode m = source(c, "model");
        assertThat(m.get("outcomes").asInt()).isEqualTo(1000);
        assertThat(m.get("kept").asInt()).isEqualTo((int) model.stream().filter(Drawn::kept).count());
        assertThat(m.get("calibrationActive").asBoolean()).isTrue();
        assertTable(m, model);

        JsonNode r = source(c, "rules");
        assertThat(r.get("calibrationActive").asBoolean()).isFalse();
        assertThat(r.get("note").asText()).contains("calibration not active yet: 25 of 30");
        assertThat(r.get("fit")).isEmpty();
        assertTable(r, rules);
        assertTable(c.get("overall"), drawn);

        Cli text = report(file);
        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).contains("confidence calibration", "left out: 4 stopped, 3 failed to start",
                "model: 1000 outcomes", "calibration active", "rules: 25 outcomes",
                "calibration not active yet: 25 of 30", "[0.9, 1.0]", "[0.0, 0.5)");

        // with the agent's own --calibration-min-outcomes, 25 rules outcomes are enough
        JsonNode lower = QpJson.tree(report(file, "--json", "--calibration-min-outcomes", "20").out()
                .getBytes(StandardCharsets.UTF_8)).get("calibration");
        assertThat(source(lower, "rules").get("calibrationActive").asBoolean()).isTrue();
    }

    @Test
    void theIsotonicFitIsMonotoneAndFollowsTheTrueCurve() throws Exception {
        Path file = dir.resolve("agent.db");
        List<Drawn> model = fill(file).stream().filter(d -> d.source().equals("model")).toList();
        try (Database db = Database.open(file, ScenarioStore.CLOCK)) {
            ConfidenceCalibration calibration = new ConfidenceCalibration(new SqliteOutcomeStore(db), 30);
            double previous = -1;
            for (int i = 30; i <= 100; i++) {
                double fit = calibration.of("model", i / 100.0).used();
                assertThat(fit).as("monotone at %.2f", i / 100.0).isGreaterThanOrEqualTo(previous).isBetween(0.0, 1.0);
                previous = fit;
            }
            for (double mid : new double[] {0.4, 0.55, 0.65, 0.75, 0.85, 0.95}) {
                double truth = MODEL_TRUTH.applyAsDouble(mid);
                long near = model.stream().filter(d -> Math.abs(d.confidence() - mid) < 0.05).count();
                // three binomial standard errors of a share over the band, and the curve's own rise within half a band
                double tolerance = 3 * Math.sqrt(truth * (1 - truth) / near)
                        + (MODEL_TRUTH.applyAsDouble(mid + 0.05) - truth);
                assertThat(calibration.of("model", mid).used()).as("fit at %.2f, truth %.3f", mid, truth)
                        .isCloseTo(truth, within(tolerance));
            }
            assertThat(calibration.of("rules", 0.9).calibrated()).as("25 rules outcomes are below 30").isFalse();
            assertThat(calibration.of("rules", 0.9).used()).isEqualTo(0.9);
        }
    }

    @Test
    void aStoreWithoutOutcomesSaysTheTableHasNoDataAndCalibrationIsNotActive() throws Exception {
        Path file = ScenarioStore.create(dir.resolve("agent.db")); // verified and rolled back changes, no experiment
        JsonNode c = QpJson.tree(report(file, "--json").out().getBytes(StandardCharsets.UTF_8)).get("calibration");
        assertThat(c.get("sources")).isEmpty();
        assertThat(c.get("overall").get("outcomes").asInt()).isZero();
        assertThat(c.get("overall").get("reliability").get("brier").isNull()).isTrue();
        assertThat(report(file).out()).contains("no decided outcome yet: n too small for a reliability table; "
                + "calibration is not active yet (it needs 30 per source)");
    }
}
