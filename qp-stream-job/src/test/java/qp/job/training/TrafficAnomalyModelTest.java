package qp.job.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficAnomalyModelTest {

    @Test
    void findsInjectedAnomaliesInAHeldOutScenario() {
        List<double[]> train = GeneratedWindows.scenario("edge-1", 360, 0.1, 1).stream()
                .map(l -> TrafficFeatures.of(l.window())).toList();
        TrafficAnomalyModel model = TrafficAnomalyModel.train(train, 0.1, 7);

        int tp = 0;
        int fp = 0;
        int fn = 0;
        for (GeneratedWindows.Labelled l : GeneratedWindows.scenario("edge-1", 400, 0.1, 99)) {
            boolean flagged = model.isOutlier(model.score(TrafficFeatures.of(l.window())));
            tp += flagged && l.anomalous() ? 1 : 0;
            fp += flagged && !l.anomalous() ? 1 : 0;
            fn += !flagged && l.anomalous() ? 1 : 0;
        }
        double recall = (double) tp / (tp + fn);
        double precision = (double) tp / (tp + fp);
        System.out.printf("traffic anomaly model on the held-out scenario: recall %.3f precision %.3f (tp %d fp %d fn %d)%n",
                recall, precision, tp, fp, fn);
        assertThat(recall).isGreaterThanOrEqualTo(0.9);
        assertThat(precision).isGreaterThanOrEqualTo(0.8);
    }

    @Test
    void theModelSurvivesItsBytesAndNamesTheUnusualFeature() {
        List<GeneratedWindows.Labelled> s = GeneratedWindows.scenario("edge-1", 200, 0.0, 3);
        TrafficAnomalyModel model = TrafficAnomalyModel.train(s.stream().map(l -> TrafficFeatures.of(l.window())).toList(),
                0.1, 7);
        double[] normal = TrafficFeatures.of(s.get(0).window());
        double[] slow = normal.clone();
        slow[3] += Math.log(5); // p95 five times higher

        TrafficAnomalyModel back = TrafficAnomalyModel.fromBytes(model.toBytes());

        assertThat(back.threshold()).isEqualTo(model.threshold());
        assertThat(back.score(normal)).isCloseTo(model.score(normal), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(back.isOutlier(back.score(slow))).isTrue();
        assertThat(back.attribution(slow, 1)).containsOnlyKeys("latency_p95");
    }

    @Test
    void badBytesAndTooFewWindowsAreClearErrors() {
        assertThatThrownBy(() -> TrafficAnomalyModel.fromBytes(new byte[] {0, 0, 0, 1, 0}))
                .hasMessageContaining("not a serialized traffic anomaly model");
        assertThatThrownBy(() -> TrafficAnomalyModel.train(List.of(new double[12]), 0.1, 1))
                .hasMessageContaining("need at least 16 windows");
    }
}
