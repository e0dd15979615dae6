package qp.job.bigrams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static qp.job.analytics.TestFrames.onConnection;

import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import qp.job.analytics.Harnesses;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;

class ConnectionSequencerTest {
    static final long IDLE = 120_000;

    static KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, SequencedRun, TransitionCount> harness()
            throws Exception {
        return Harnesses.keyed(new ConnectionSequencer(IDLE), f -> Tuple2.of(f.nodeId(), f.connectionId()),
                Types.TUPLE(Types.STRING, Types.STRING));
    }

    /** The frame as the job hands it to the sequencer: cut to its fields, timestamped with its event time. */
    static void add(KeyedOneInputStreamOperatorTestHarness<?, SequencedRun, ?> h, FrameEvent f) throws Exception {
        h.processElement(SequencedRun.of(f), f.eventTimeMillis());
    }

    /** Each transition counted, once per count, in emitted order. */
    static List<String> pairs(List<TransitionCount> out) {
        return out.stream().flatMap(t -> java.util.Collections.nCopies(t.count(), t.nodeId() + ":" + t.from() + "->"
                + t.to()).stream()).toList();
    }

    @Test
    void framesOfBothDirectionsArePutInOrderPerConnectionOnceTheWatermarkPassesThem() throws Exception {
        try (var h = harness()) {
            add(h, onConnection("n1", "c1", 2, "COMMAND", Direction.IN, 200));
            add(h, onConnection("n1", "c2", 0, "HEARTBEAT", Direction.IN, 150));
            add(h, onConnection("n1", "c1", 0, "AUTH", Direction.IN, 100));
            add(h, onConnection("n1", "c1", 3, "ACK", Direction.OUT, 200)); // same ms as the COMMAND: seq decides
            add(h, onConnection("n1", "c2", 1, "HEARTBEAT", Direction.OUT, 151));
            add(h, onConnection("n1", "c1", 1, "ACK", Direction.OUT, 101));
            assertTrue(h.extractOutputValues().isEmpty(), "nothing before the watermark");

            h.processWatermark(300);
            // In order within each connection; connections are not ordered against each other.
            List<TransitionCount> out = h.extractOutputValues();
            assertEquals(List.of("n1:AUTH->ACK", "n1:ACK->COMMAND", "n1:COMMAND->ACK"),
                    pairs(out.stream().filter(t -> !t.from().equals("HEARTBEAT")).toList()), "c1");
            assertEquals(List.of("n1:HEARTBEAT->HEARTBEAT"),
                    pairs(out.stream().filter(t -> t.from().equals("HEARTBEAT")).toList()), "c2");
            assertEquals(List.of(101L, 200L, 200L, 151L), out.stream()
                    .sorted(java.util.Comparator.comparing(t -> t.from().equals("HEARTBEAT")))
                    .map(TransitionCount::eventTimeMillis).toList(), "each transition has the event time of its later frame");

            add(h, onConnection("n1", "c1", 9, "ERROR", Direction.OUT, 250)); // behind the watermark: skipped
            add(h, onConnection("n1", "c1", 4, "DATA", Direction.IN, 400));
            h.processWatermark(400);
            List<String> all = pairs(h.extractOutputValues());
            assertEquals("n1:ACK->DATA", all.get(all.size() - 1), "continues from the last frame of the previous batch");
            assertEquals(5, all.size());
        }
    }

    @Test
    void aFrameAtTheSameMillisecondAsTheOldCleanUpTimerIsStillPutInOrder() throws Exception {
        try (var h = harness()) {
            add(h, onConnection("n1", "c1", 0, "AUTH", Direction.IN, 100));
            h.processWatermark(100); // clean-up timer at 100 + IDLE
            add(h, onConnection("n1", "c1", 1, "ACK", Direction.OUT, 200));
            add(h, onConnection("n1", "c1", 2, "COMMAND", Direction.IN, 100 + IDLE)); // shares that timer
            h.processWatermark(200); // moves the clean-up timer; must not take the frame's timer with it
            h.processWatermark(100 + IDLE);
            assertEquals(List.of("n1:AUTH->ACK", "n1:ACK->COMMAND"), pairs(h.extractOutputValues()));
            h.processWatermark(100 + 2 * IDLE);
            assertEquals(0, h.numKeyedStateEntries());
            assertEquals(0, h.numEventTimeTimers());
        }
    }

    @Test
    void aSilentConnectionIsForgottenByItsTimer() throws Exception {
        try (var h = harness()) {
            add(h, onConnection("n1", "c1", 0, "AUTH", Direction.IN, 100));
            add(h, onConnection("n1", "c1", 1, "ACK", Direction.OUT, 101));
            add(h, onConnection("n1", "c2", 0, "AUTH", Direction.IN, 5_000));
            h.processWatermark(5_000);
            assertEquals(2, h.numKeyedStateEntries(), "the last type of each connection");
            assertEquals(2, h.numEventTimeTimers(), "one clean-up timer per connection");
            h.processWatermark(101 + IDLE);
            assertEquals(1, h.numKeyedStateEntries(), "c1 forgotten");
            h.processWatermark(5_000 + IDLE);
            assertEquals(0, h.numKeyedStateEntries());
            assertEquals(0, h.numEventTimeTimers());
            add(h, onConnection("n1", "c1", 2, "COMMAND", Direction.IN, 200_000));
            h.processWatermark(200_000);
            assertEquals(List.of("n1:AUTH->ACK"), pairs(h.extractOutputValues()), "a forgotten connection starts afresh");
        }
    }

    @Test
    void aConnectionWaitsWithOneTimerHoweverManyFramesWait() throws Exception {
        try (var h = harness()) {
            for (int i = 0; i < 50; i++) {
                add(h, onConnection("n1", "c1", i, i % 2 == 0 ? "COMMAND" : "ACK", Direction.IN, 1_000 + 10 * i));
            }
            assertEquals(1, h.numEventTimeTimers(), "one timer at the earliest waiting frame");
            h.processWatermark(1_245); // passes the first 25 frames
            assertEquals(24, pairs(h.extractOutputValues()).size());
            assertEquals(2, h.numEventTimeTimers(), "the next waiting frame and the clean-up");
            h.processWatermark(2_000);
            assertEquals(49, pairs(h.extractOutputValues()).size());
            h.processWatermark(1_490 + IDLE);
            assertEquals(0, h.numKeyedStateEntries());
            assertEquals(0, h.numEventTimeTimers());
        }
    }

    @Test
    void whileTheWatermarkStandsStillAConnectionKeepsAtMostItsBoundOfFramesWaiting() throws Exception {
        try (var h = Harnesses.keyed(new ConnectionSequencer(IDLE, 3), (SequencedRun r) -> Tuple2.of(r.nodeId(), r.connectionId()),
                Types.TUPLE(Types.STRING, Types.STRING))) {
            h.processWatermark(0);
            add(h, onConnection("n1", "c1", 1, "ACK", Direction.OUT, 110));
            add(h, onConnection("n1", "c1", 0, "AUTH", Direction.IN, 100));
            assertTrue(h.extractOutputValues().isEmpty(), "below the bound, frames wait for the watermark");
            add(h, onConnection("n1", "c1", 2, "COMMAND", Direction.IN, 120)); // the bound: all three put in order
            assertEquals(List.of("n1:AUTH->ACK", "n1:ACK->COMMAND"), pairs(h.extractOutputValues()));

            add(h, onConnection("n1", "c1", 9, "DATA", Direction.IN, 105)); // earlier than what is in order: late
            add(h, onConnection("n1", "c1", 3, "ACK", Direction.OUT, 130));
            h.processWatermark(200);
            assertEquals(List.of("n1:AUTH->ACK", "n1:ACK->COMMAND", "n1:COMMAND->ACK"), pairs(h.extractOutputValues()));
            h.processWatermark(200 + 2 * IDLE);
            assertEquals(0, h.numKeyedStateEntries(), "state gone after the idle time");
            assertEquals(0, h.numEventTimeTimers());
        }
    }
}
