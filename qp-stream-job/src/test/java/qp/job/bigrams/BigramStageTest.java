package qp.job.bigrams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import qp.job.analytics.AnalyticsSettings;
import qp.job.analytics.Harnesses;
import qp.protocol.analytics.BigramCount;
import qp.protocol.analytics.BigramWindow;

/** The real "bigrams" window operator in a harness. */
class BigramStageTest {

    @Test
    void countsTransitionsPerNodeAndWindowAndListsTheTopOnes() throws Exception {
        StreamExecutionEnvironment env = Harnesses.environment();
        var transitions = env.fromData(List.of(new TransitionCount("n", "A", "B", 0, 1)),
                TransitionCountSerializer.TYPE);
        KeyedOneInputStreamOperatorTestHarness<String, TransitionCount, BigramWindow> h = Harnesses.of(
                BigramStage.bigrams(transitions, new AnalyticsSettings.Bigrams(2, 120_000),
                        AnalyticsSettings.Windows.defaults()));
        try (h) {
            h.open();
            String[][] seq = {{"AUTH", "ACK"}, {"ACK", "COMMAND"}, {"COMMAND", "ACK"}, {"ACK", "COMMAND"},
                    {"COMMAND", "ACK"}, {"ACK", "COMMAND"}, {"COMMAND", "ACK"}};
            long t = 100;
            for (String[] s : seq) {
                h.processElement(new TransitionCount("n1", s[0], s[1], t, 1), t++);
            }
            h.processElement(new TransitionCount("n2", "AUTH", "ERROR", 200, 4), 200); // four of them, counted upstream
            h.processElement(new TransitionCount("n1", "ACK", "DATA", 10_500, 1), 10_500); // next window
            h.processWatermark(9_999);
            List<BigramWindow> out = h.extractOutputValues().stream()
                    .sorted((a, b) -> a.nodeId().compareTo(b.nodeId())).toList();
            assertEquals(2, out.size());
            BigramWindow n1 = out.get(0);
            assertEquals(0, n1.windowStartMillis());
            assertEquals(10_000, n1.windowEndMillis());
            assertEquals(7, n1.totalTransitions());
            assertEquals(3, n1.distinctSequences());
            assertEquals(List.of(new BigramCount("ACK", "COMMAND", "ACK->COMMAND", 3, 3.0 / 7),
                    new BigramCount("COMMAND", "ACK", "COMMAND->ACK", 3, 3.0 / 7)), n1.top(), "top 2, ties by name");
            assertEquals(List.of(new BigramCount("AUTH", "ERROR", "AUTH->ERROR", 4, 1.0)), out.get(1).top());
            assertEquals(4, out.get(1).totalTransitions());
            h.processWatermark(20_000);
            assertEquals(3, h.extractOutputValues().size());
            assertEquals(0, h.numKeyedStateEntries());
            assertEquals(0, h.numEventTimeTimers());
        }
    }
}
