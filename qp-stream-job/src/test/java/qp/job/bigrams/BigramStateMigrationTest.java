package qp.job.bigrams;

import static org.assertj.core.api.Assertions.assertThat;
import static qp.job.bigrams.BigramCheckpoints.frame;
import static qp.job.bigrams.BigramCheckpoints.resource;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import qp.job.bigrams.BigramCheckpoints.Operators;
import qp.protocol.analytics.BigramCount;
import qp.protocol.analytics.BigramWindow;

/**
 * The sequencer's state (waiting frames, the connection) and the "bigrams" windows' state (the counts of an open
 * window and its timer) in checkpoints of the build whose sequencer sent one TypeTransition per frame restore in
 * this build, which sends counts per pair and window, and the counts carry on from them. The checkpoints are
 * {@link BigramCheckpoints#main}'s, written with the classes of 27a78ba.
 */
class BigramStateMigrationTest {

    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void checkpointsOfTheBuildThatSentOneTransitionPerFrameRestoreAndTheirCountsCarryOn(String backend)
            throws Exception {
        OperatorSubtaskState oldSequencer = OperatorSnapshotUtil.readStateHandle(
                resourcePath(resource("sequencer", backend)));
        OperatorSubtaskState oldWindows = OperatorSnapshotUtil.readStateHandle(
                resourcePath(resource("windows", backend)));
        Operators o = Operators.of(backend);
        try (var s = o.sequencer(); var w = o.windows()) {
            s.initializeState(oldSequencer);
            s.open();
            w.initializeState(oldWindows);
            w.open();
            // window [0, 10 s): the old build's two transitions in the windows' state, plus two counted by this build
            counts(w).processElement(new StreamRecord<>(new TransitionCount("n1", "COMMAND", "ACK", 5_000, 2), 9_999));
            w.processWatermark(10_499);
            assertThat(w.extractOutputValues()).containsExactly(new BigramWindow("n1", 0, 10_000, 4, 2, List.of(
                    new BigramCount("COMMAND", "ACK", "COMMAND->ACK", 3, 0.75),
                    new BigramCount("AUTH", "COMMAND", "AUTH->COMMAND", 1, 0.25))));

            // the sequencer carries on from the old build's last types and waiting frames
            o.add(frame("n1", "c1", 4, "ACK", 13_000));
            o.add(frame("n1", "c2", 2, "HEARTBEAT", 14_000));
            s.processWatermark(20_000);
            Map<String, Integer> counts = new TreeMap<>();
            for (Object r : o.move(true)) {
                TransitionCount t = (TransitionCount) r;
                assertThat(t.eventTimeMillis()).as(t.toString()).isBetween(10_000L, 19_999L);
                counts.merge(t.from() + "->" + t.to(), t.count(), Integer::sum);
            }
            assertThat(counts).isEqualTo(Map.of("ACK->DATA", 1, "DATA->ACK", 1, "HEARTBEAT->HEARTBEAT", 2));
            assertThat(w.extractOutputValues()).hasSize(2).last()
                    .satisfies(b -> assertThat(b.windowStartMillis()).isEqualTo(10_000))
                    .satisfies(b -> assertThat(b.totalTransitions()).isEqualTo(4));
        }
    }

    @SuppressWarnings("unchecked")
    private static KeyedOneInputStreamOperatorTestHarness<String, TransitionCount, BigramWindow> counts(
            KeyedOneInputStreamOperatorTestHarness<String, ?, BigramWindow> w) {
        return (KeyedOneInputStreamOperatorTestHarness<String, TransitionCount, BigramWindow>) w;
    }

    private static String resourcePath(String name) throws URISyntaxException {
        var url = BigramStateMigrationTest.class.getResource(name);
        assertThat(url).as("test resource " + name).isNotNull();
        return Path.of(url.toURI()).toString();
    }
}
