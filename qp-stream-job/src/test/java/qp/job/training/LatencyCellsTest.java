package qp.job.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyCellsTest {

    private static TrainingRow frame(String type, long payload, int connections, long latencyMicros, long timeMillis) {
        return new TrainingRow(type, payload, payload + 7, false, 1000, 0.5, 100_000_000, connections, 8192, 30_000, 0,
                100, 1 << 20, 1, latencyMicros, timeMillis);
    }

    @Test
    void alikeFramesOfOneSecondBecomeOneCellLabelledWithTheirMedian() {
        List<TrainingRow> rows = List.of(
                frame("DATA", 1000, 4, 10, 5_000), frame("DATA", 1010, 4, 12, 5_300),
                frame("DATA", 1020, 4, 90_000, 5_900), // a stalled frame does not move the median
                frame("DATA", 1000, 4, 11, 6_100),       // the next second: another cell
                frame("DATA", 1000, 9, 11, 5_200),       // other connection count: another cell
                frame("DATA", 4000, 4, 30, 5_200),       // two octaves larger: another cell
                frame("COMMAND", 1000, 4, 8, 5_200));    // other type: another cell

        List<LatencyCells.Cell> cells = LatencyCells.of(rows);

        assertThat(cells).hasSize(5);
        LatencyCells.Cell first = cells.get(0);
        assertThat(first.frames()).isEqualTo(3);
        assertThat(first.row().latencyMicros()).isEqualTo(12);
        assertThat(first.row().payloadSize()).isEqualTo(1010);
        assertThat(first.second()).isEqualTo(5);
        assertThat(cells.subList(1, 5)).allSatisfy(c -> assertThat(c.frames()).isEqualTo(1));
    }

    @Test
    void aCellOfOneFrameIsThatFrame() {
        TrainingRow r = frame("DATA", 1000, 4, 10, 5_000);
        assertThat(LatencyCells.of(List.of(r))).singleElement().satisfies(c -> assertThat(c.row()).isEqualTo(r));
    }

    @Test
    void theHeldOutCellsAreTheLastWholeSecondsAfterAGap() {
        // 20 seconds with 5 cells each: the test share is the last whole seconds, 20% of the cells; the gap before
        // them (5% of the 19 s span, at least 1 s) is in neither set
        List<TrainingRow> rows = new ArrayList<>();
        for (int s = 0; s < 20; s++) {
            for (int c = 1; c <= 5; c++) {
                rows.add(frame("DATA", 1000L * c * c, c, 100L * c, s * 1000L + 10 * c));
            }
        }
        LatencyEvaluation.Scored scored = LatencyEvaluation.trainAndScore(rows, new TribuoForestTrainer(3, 4, 1), 2);
        assertThat(scored.testRows()).isEqualTo(20);
        assertThat(scored.heldOut()).extracting(TrainingRow::eventTimeMillis).allMatch(t -> t >= 16_000);
        assertThat(scored.split().gapSeconds()).isEqualTo(1);
        assertThat(scored.trainRows()).isEqualTo(75);
        assertThat(scored.frames()).isEqualTo(100);
    }
}
