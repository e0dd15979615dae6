package qp.job.bigrams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import qp.job.analytics.Harnesses;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;

/**
 * The runs per connection in the frames' reader: a run leaves before the watermark, before a checkpoint barrier and
 * before the stream goes idle, at most {@link ConnectionRunsInReader#MAX_RUN} frames long, one connection and node
 * each, the frames in the order they came; nothing is kept in state. (That the sequencer counts the same transitions
 * from runs as from single frames: {@code BigramPathTest}.)
 */
class ConnectionRunsInReaderTest {
    static OneInputStreamOperatorTestHarness<FrameEvent, SequencedRun> harness() throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(new ConnectionRunsInReader());
        Harnesses.noKryo(h.getExecutionConfig().getSerializerConfig());
        h.setup(SequencedRunSerializer.INSTANCE);
        h.open();
        return h;
    }

    static FrameEvent frame(String node, String connection, long seq, long t) {
        return new FrameEvent(node, connection, seq, "s", seq % 2 == 0 ? "COMMAND" : "ACK", null, Direction.IN, 10, 3,
                false, 0, FrameEvent.OK, 1, t);
    }

    static void add(OneInputStreamOperatorTestHarness<FrameEvent, SequencedRun> h, FrameEvent f) throws Exception {
        h.processElement(f, f.eventTimeMillis());
    }

    @SuppressWarnings("unchecked")
    static List<SequencedRun> runs(List<Object> output) {
        List<SequencedRun> out = new ArrayList<>();
        output.stream().filter(o -> o instanceof StreamRecord<?>)
                .forEach(o -> out.add(((StreamRecord<SequencedRun>) o).getValue()));
        return out;
    }

    @Test
    void runsLeaveBeforeTheWatermarkWithTheirConnectionsFramesInArrivalOrder() throws Exception {
        try (var h = harness()) {
            add(h, frame("n1", "c1", 2, 105));
            add(h, frame("n1", "c2", 0, 101));
            add(h, frame("n1", "c1", 1, 103));
            add(h, frame("n2", "c1", 7, 104)); // the same connection id on another node: a run of its own
            assertEquals(1, runs(new ArrayList<>(h.getOutput())).size(), "only n1's c1, cut by n2's c1, left early");
            h.processWatermark(100);
            List<Object> out = new ArrayList<>(h.getOutput());
            assertEquals(new Watermark(100), out.get(out.size() - 1), "the watermark comes after the runs");
            List<SequencedRun> runs = runs(out);
            assertEquals(3, runs.size(), runs.toString());
            SequencedRun c1 = runs.stream().filter(r -> r.nodeId().equals("n1") && r.connectionId().equals("c1"))
                    .findFirst().orElseThrow();
            assertEquals(List.of(2L, 1L), List.of(c1.frames()[0].seq(), c1.frames()[1].seq()), "arrival order");
            assertEquals(4, runs.stream().mapToInt(r -> r.frames().length).sum());
            h.getOutput().clear();
            h.processWatermark(200);
            assertEquals(List.of(new Watermark(200)), new ArrayList<>(h.getOutput()), "nothing waits: no empty run");
        }
    }

    @Test
    void aLongRunIsCutAtTheMaximumAndBarriersAndIdlenessSendWhatWaits() throws Exception {
        try (var h = harness()) {
            int n = ConnectionRunsInReader.MAX_RUN + 10;
            for (int i = 0; i < n; i++) {
                add(h, frame("n1", "c1", i, 1_000 + i));
            }
            List<SequencedRun> early = runs(new ArrayList<>(h.getOutput()));
            assertEquals(1, early.size());
            assertEquals(ConnectionRunsInReader.MAX_RUN, early.get(0).frames().length);
            h.getOutput().clear();

            h.prepareSnapshotPreBarrier(1);
            assertFalse(h.snapshot(1, 1).hasState(), "no state");
            assertEquals(10, runs(new ArrayList<>(h.getOutput())).get(0).frames().length, "the rest left at the barrier");
            h.getOutput().clear();

            add(h, frame("n1", "c3", 0, 5_000));
            h.processWatermarkStatus(WatermarkStatus.IDLE);
            List<Object> out = new ArrayList<>(h.getOutput());
            assertEquals(1, runs(out).size());
            assertEquals(WatermarkStatus.IDLE, out.get(out.size() - 1), "idle goes on after the run");
        }
    }
}
