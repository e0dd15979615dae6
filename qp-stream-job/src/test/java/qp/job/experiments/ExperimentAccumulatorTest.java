package qp.job.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;

/** The accumulator's parts that one tumbling window does not reach: merging, packing bounds, the serializer alone. */
class ExperimentAccumulatorTest {
    static final List<FrameEvent> FRAMES = ExperimentStatsStageTest.experimentFrames(3, 2); // window 0 has none

    static ExperimentAccumulator of(List<FrameEvent> frames) {
        ExperimentAccumulator a = new ExperimentAccumulator(0.005);
        frames.forEach(f -> a.add(ExperimentFrame.of(f)));
        return a;
    }

    static void assertSameStats(ExperimentAccumulator got, ExperimentAccumulator expected) {
        assertThat(got.cells()).isEqualTo(expected.cells());
        assertThat(got.latency()).isEqualTo(expected.latency());
        assertThat(got.units()).isEqualTo(expected.units());
    }

    @Test
    void mergingTwoHalvesWithTheirOwnNameTablesGivesTheWhole() {
        // the second half meets the names in another order, so its indexes differ from the first half's
        List<FrameEvent> first = FRAMES.subList(0, FRAMES.size() / 2);
        List<FrameEvent> second = new java.util.ArrayList<>(FRAMES.subList(FRAMES.size() / 2, FRAMES.size()));
        java.util.Collections.reverse(second);
        ExperimentAccumulator a = of(first);
        ExperimentAccumulator b = of(second);
        assertThat(a.names).isNotEqualTo(b.names);
        assertSameStats(a.merge(b), of(FRAMES));
    }

    @Test
    void theSerializerAndCopyKeepEverything() throws Exception {
        ExperimentAccumulator a = of(FRAMES);
        DataOutputSerializer out = new DataOutputSerializer(1024);
        ExperimentAccumulatorSerializer.INSTANCE.serialize(a, out);
        ExperimentAccumulator back = ExperimentAccumulatorSerializer.INSTANCE.deserialize(
                new DataInputDeserializer(out.getCopyOfBuffer()));
        assertSameStats(back, a);
        ExperimentAccumulator copy = ExperimentAccumulatorSerializer.INSTANCE.copy(a);
        copy.add(ExperimentFrame.of(FRAMES.get(0)));
        assertSameStats(a, of(FRAMES)); // the copy is deep
        assertThat(copy.cells()).isNotEqualTo(a.cells());
    }

    @Test
    void packedKeysKeepEveryPartAtItsBounds() {
        long k = CellKeys.cell(CellKeys.MAX_NAMES - 1, Integer.MIN_VALUE, CellKeys.MAX_NAMES - 2, 1, 2);
        assertThat(CellKeys.arm(k)).isEqualTo(CellKeys.MAX_NAMES - 1);
        assertThat(CellKeys.bucket(k)).isEqualTo(Integer.MIN_VALUE);
        assertThat(CellKeys.type(k)).isEqualTo(CellKeys.MAX_NAMES - 2);
        assertThat(CellKeys.direction(k)).isEqualTo(1);
        assertThat(CellKeys.band(k)).isEqualTo(2);
        long s = CellKeys.stratum(k);
        assertThat(CellKeys.bucket(s)).isZero();
        assertThat(CellKeys.arm(s)).isEqualTo(CellKeys.MAX_NAMES - 1);
        assertThat(CellKeys.cell(0, -1, 0, 0, 0)).as("a negative bucket stays in its 32 bits").isEqualTo(0xFFFF_FFFFL);
    }

    @Test
    void tooManyNamesIsAnErrorThatSaysWhy() {
        ExperimentAccumulator a = new ExperimentAccumulator(0.005);
        for (int i = 0; i < CellKeys.MAX_NAMES - 1; i++) { // the arm takes the last index
            a.nameIndex("T" + i);
        }
        assertThatThrownBy(() -> a.add(ExperimentFrame.of(new FrameEvent("n", "c", 0, "s", "ONE_MORE", null,
                Direction.IN, 1, 1, false, 0, "ok", 1, 1, "e", "control", 0)))).hasMessageContaining("ONE_MORE").hasMessageContaining("4096");
    }

    @Test
    void unitsAreDistinctSessionsOrConnections() {
        UnitSet set = new UnitSet();
        for (int i = 0; i < 1_000; i++) {
            set.add(UnitSet.hash('s', "s" + i % 300));
        }
        set.add(UnitSet.hash('c', "s1")); // a connection named like a session is another unit
        assertThat(set.size()).isEqualTo(301);
        assertThat(set.toArray()).doesNotHaveDuplicates().hasSize(301);
    }
}
