package qp.job.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import qp.job.bigrams.PendingFrame;
import qp.job.bigrams.SequencedFrame;
import qp.job.bigrams.SequencedRun;
import qp.job.bigrams.SequencedRunSerializer;
import qp.job.bigrams.TransitionCount;
import qp.job.bigrams.TransitionCountSerializer;
import qp.job.experiments.ExperimentFrame;
import qp.job.experiments.ExperimentFrameSerializer;
import qp.job.io.QpTypes;
import qp.job.training.NodeInput;
import qp.job.training.NodeInputSerializer;
import qp.job.windows.NodeFrame;
import qp.job.windows.NodeFrameSerializer;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;
import qp.protocol.frame.ErrorCode;
import qp.protocol.params.TunableParams;

/**
 * The records the keyed edges carry instead of whole frames: each round-trips field by field with generic types
 * disabled, is copied as itself, restores from its snapshot, and is smaller on the wire than the frame it was cut from.
 */
class EdgeRecordSerializersTest {
    /** Like the throughput benchmark's frames: node, connection and session ids, an op, an experiment. */
    static final FrameEvent FRAME = new FrameEvent("edge-7", "edge-7-c58", 12_345, "s-58", "COMMAND", "echo",
            Direction.IN, 1_030, 1_024, false, 2_345, ErrorCode.OVERLOADED.name(), 3, 1_700_000_123_456L, "bench-x7",
            "treatment", 2);

    @Test
    void eachEdgeRecordRoundTripsAndIsSmallerThanTheWholeFrame() throws Exception {
        int whole = size(QpTypes.FRAME, FRAME);
        NodeFrame node = NodeFrame.of(FRAME);
        assertEquals(new NodeFrame("edge-7", "COMMAND", 1_030, 1_024, 2_345, true), node);
        SequencedFrame seq = SequencedFrame.of(FRAME);
        assertEquals(new SequencedFrame("edge-7", "edge-7-c58", 12_345, 1_700_000_123_456L, "COMMAND"), seq);
        ExperimentFrame exp = ExperimentFrame.of(FRAME);
        assertEquals("bench-x7", exp.experimentId());
        assertEquals("treatment", exp.arm());
        assertEquals(2, exp.bucket());
        assertTrue(exp.error() && exp.refused());

        int nodeBytes = size(NodeFrameSerializer.TYPE, node);
        int seqBytes = size(SequencedRunSerializer.TYPE, SequencedRun.of(seq));
        PendingFrame[] hundred = new PendingFrame[100];
        for (int i = 0; i < hundred.length; i++) {
            hundred[i] = new PendingFrame(seq.seq() + i, seq.eventTimeMillis() + i, i % 3 == 0 ? "ACK" : "COMMAND");
        }
        int runBytesPerFrame =
                size(SequencedRunSerializer.TYPE, new SequencedRun("edge-7", "edge-7-c58", hundred)) / hundred.length;
        int expBytes = size(ExperimentFrameSerializer.TYPE, exp);
        int trainingBytes = size(NodeInputSerializer.TYPE, NodeInput.of(FRAME));
        List<NodeInput.FrameSample> samples = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            samples.add(NodeInput.FrameSample.of(FRAME));
        }
        int trainingRunBytesPerFrame =
                size(NodeInputSerializer.TYPE, new NodeInput("edge-7", samples, null)) / samples.size();
        assertTrue(trainingRunBytesPerFrame < trainingBytes, trainingRunBytesPerFrame + " of " + trainingBytes);
        System.out.printf("bytes per record: whole frame %d, NodeFrame %d, SequencedRun of one frame %d (of 100: %d a"
                + " frame), ExperimentFrame %d, NodeInput of one frame %d (of 100: %d a frame)%n", whole, nodeBytes,
                seqBytes, runBytesPerFrame, expBytes, trainingBytes, trainingRunBytesPerFrame);
        assertTrue(trainingBytes < whole, trainingBytes + " of " + whole);
        assertTrue(nodeBytes < whole / 2, nodeBytes + " of " + whole);
        assertTrue(seqBytes < whole / 2, seqBytes + " of " + whole);
        assertTrue(runBytesPerFrame < seqBytes / 2, runBytesPerFrame + " of " + seqBytes);
        assertTrue(expBytes < whole, expBytes + " of " + whole);
    }

    /** A run's strings are written once each: nulls, repeats and more distinct values than a byte could number. */
    @Test
    void runsRoundTripWithManyDistinctAndMissingStrings() throws Exception {
        List<NodeInput.FrameSample> samples = new ArrayList<>();
        PendingFrame[] frames = new PendingFrame[700];
        for (int i = 0; i < frames.length; i++) {
            String type = "T" + (i % 350);
            samples.add(new NodeInput.FrameSample(type, i, i + 7, i % 2 == 0, i, 1_000 + i,
                    i % 3 == 0 ? null : "x" + (i % 5), i % 4 == 0 ? null : (i % 2 == 0 ? "control" : "treatment"),
                    i % 5 == 0));
            frames[i] = new PendingFrame(i, 1_000 + i, type);
        }
        size(NodeInputSerializer.TYPE, new NodeInput("n", samples, null));
        size(SequencedRunSerializer.TYPE, new SequencedRun("n", "c", frames));
    }

    @Test
    void anErrorFreeFrameKeepsItsFlagsFalse() throws Exception {
        FrameEvent ok = new FrameEvent("n", "c", 0, null, "DATA", null, Direction.OUT, 10, 4, true, 0, FrameEvent.OK,
                1, 5, "e", "control", 0);
        size(NodeFrameSerializer.TYPE, NodeFrame.of(ok));
        size(ExperimentFrameSerializer.TYPE, ExperimentFrame.of(ok));
        assertTrue(!NodeFrame.of(ok).error() && !ExperimentFrame.of(ok).error() && !ExperimentFrame.of(ok).refused());
    }

    @Test
    void theTrainingInputRoundTripsAReceivedAndASentFrameWithoutExperimentAndANodeSample() throws Exception {
        FrameEvent plain = new FrameEvent("n", "c", 0, null, "DATA", null, Direction.IN, 10, 4, true, 7, FrameEvent.OK,
                1, 5);
        size(NodeInputSerializer.TYPE, NodeInput.of(plain));
        FrameEvent sent = new FrameEvent("n", "c", 1, null, "ACK", null, Direction.OUT, 300, 2048, true, 0,
                FrameEvent.OK, 1, 6);
        assertTrue(NodeInput.of(sent).frames().get(0).outbound(), "a sent frame of 2 KiB is the compression sample's");
        size(NodeInputSerializer.TYPE, NodeInput.of(sent));
        NodeMetrics m = new NodeMetrics("n", 5, 1.5, 2.5, 3, 4, 0.5, 6, 7, 8, 9, 10, 11, TunableParams.defaults(), "i-1",
                "http://n:1");
        size(NodeInputSerializer.TYPE, NodeInput.of(m));
    }

    @Test
    void theSequencersCountOfAPairRoundTrips() throws Exception {
        int bytes = size(TransitionCountSerializer.TYPE,
                new TransitionCount("edge-7", "COMMAND", "ACK", 1_700_000_123_456L, 1_234));
        assertTrue(bytes < 40, bytes + " bytes");
    }

    /** Serializes with the type's serializer (generic types off), checks the round trip, copy and snapshot. */
    static <T> int size(TypeInformation<T> info, T value) throws Exception {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        TypeSerializer<T> serializer = info.createSerializer(config);
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(value, out);
        byte[] bytes = out.getCopyOfBuffer();
        assertEquals(value, serializer.deserialize(new DataInputDeserializer(bytes)));
        assertSame(value, serializer.copy(value), "immutable: a copy is the record itself");

        DataOutputSerializer snap = new DataOutputSerializer(16);
        TypeSerializerSnapshot.writeVersionedSnapshot(snap, serializer.snapshotConfiguration());
        TypeSerializerSnapshot<T> back = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(snap.getCopyOfBuffer()), EdgeRecordSerializersTest.class.getClassLoader());
        assertEquals(serializer, back.restoreSerializer());
        assertTrue(serializer.snapshotConfiguration().resolveSchemaCompatibility(back).isCompatibleAsIs());
        return bytes.length;
    }

}
