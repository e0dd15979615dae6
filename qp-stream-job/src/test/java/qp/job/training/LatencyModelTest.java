package qp.job.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatencyModelTest {
    private static final TribuoForestTrainer SMALL_FOREST = new TribuoForestTrainer(15, 10, 7);

    @Test
    void learnsLatencyFromPayloadSizeAndConnections() {
        List<TrainingRow> rows = GeneratedRows.payloadAndConnections(3000, 1);

        LatencyEvaluation.Scored s = LatencyEvaluation.trainAndScore(rows, SMALL_FOREST, 3);

        assertThat(s.r2()).isGreaterThanOrEqualTo(0.9);
        assertThat(s.trainRows()).as("3,000 s of one frame a second: the last 600 held out, the 150 s (5%) before "
                + "them in neither set").isEqualTo(2250);
        assertThat(s.testRows()).isEqualTo(600);
        assertThat(s.featureImportance()).containsOnlyKeys(LatencyFeatures.ALL);
        List<String> ranked = new ArrayList<>(s.featureImportance().keySet());
        ranked.sort(Comparator.comparing((String f) -> s.featureImportance().get(f)).reversed());
        assertThat(ranked.subList(0, 2)).containsExactlyInAnyOrder("connections", "payload_size");
        assertThat(s.maeMicros()).isPositive();
    }

    @Test
    void aModelSurvivesItsBytes() {
        List<TrainingRow> rows = GeneratedRows.payloadAndConnections(500, 2);
        LatencyModel m = SMALL_FOREST.train(rows);

        LatencyModel back = SMALL_FOREST.load(m.toBytes());

        for (TrainingRow r : rows.subList(0, 20)) {
            assertThat(back.predictMicros(r)).isEqualTo(m.predictMicros(r));
        }
        assertThat(back.memberPredictionsMicros(rows.get(0))).hasSize(15);
    }

    @Test
    void theBytesAreGzipAndRawProtobufOfOlderModelsStillLoads() throws Exception {
        List<TrainingRow> rows = GeneratedRows.payloadAndConnections(500, 3);
        LatencyModel m = SMALL_FOREST.train(rows);
        byte[] zipped = m.toBytes();
        byte[] raw;
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(
                new java.io.ByteArrayInputStream(zipped))) {
            raw = in.readAllBytes();
        }

        assertThat(zipped.length).isLessThan(raw.length);
        assertThat(SMALL_FOREST.load(raw).predictMicros(rows.get(0))).isEqualTo(m.predictMicros(rows.get(0)));
    }

    @Test
    void bytesThatAreNoModelAreAClearError() {
        assertThatThrownBy(() -> SMALL_FOREST.load(new byte[] {1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a serialized Tribuo model");
    }

    @Test
    void tooFewRowsIsAClearError() {
        assertThatThrownBy(() -> LatencyEvaluation.trainAndScore(GeneratedRows.payloadAndConnections(5, 1),
                SMALL_FOREST, 1)).hasMessageContaining("need at least 10 rows");
    }

    @Test
    void importanceIsReportedUnderEveryFeatureName() {
        Map<String, Double> imp = LatencyEvaluation.trainAndScore(GeneratedRows.payloadAndConnections(300, 4),
                SMALL_FOREST, 1).featureImportance();
        assertThat(imp.keySet()).containsExactlyElementsOf(LatencyFeatures.ALL);
    }
}
