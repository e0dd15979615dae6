package qp.job.training;

import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * One {@link RecentSample} of a node's rows in keyed state: the rows by slot in a map state named {@code name}, the
 * buckets in a value state named {@code bucketsName}. The latency trainer keeps two, the received frames' rows and the
 * sent frames' ones.
 */
final class SampleInState {
    private final RecentSample sampler;
    private final MapState<Integer, TrainingRow> slots;
    private final ValueState<long[]> buckets;
    private final RecentSample.Rows rows;

    SampleInState(RuntimeContext ctx, RecentSample sampler, String name, String bucketsName) {
        this.sampler = sampler;
        this.slots = ctx.getMapState(new MapStateDescriptor<>(name, Types.INT, TypeInformation.of(TrainingRow.class)));
        this.buckets = ctx.getState(new ValueStateDescriptor<>(bucketsName,
                PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        this.rows = new RecentSample.Rows() {
            @Override
            public TrainingRow get(int slot) throws Exception {
                return slots.get(slot);
            }

            @Override
            public void put(int slot, TrainingRow row) throws Exception {
                slots.put(slot, row);
            }

            @Override
            public void remove(int slot) throws Exception {
                slots.remove(slot);
            }

            @Override
            public void clear() {
                slots.clear();
            }
        };
    }

    void offer(TrainingRow row, Random random) throws Exception {
        long[] b = sampler.adopt(buckets.value(), rows);
        sampler.offer(row, b, rows, random);
        buckets.update(b);
    }

    /** The rows held, oldest bucket first. */
    List<TrainingRow> rows() throws Exception {
        long[] b = buckets.value();
        return b == null ? List.of() : sampler.rows(b, rows);
    }

    int size() throws Exception {
        long[] b = buckets.value();
        return b == null ? 0 : RecentSample.size(b);
    }

    long spanMillis() throws Exception {
        long[] b = buckets.value();
        return b == null ? 0 : sampler.spanMillis(b);
    }

    void clear() {
        slots.clear();
        buckets.clear();
    }
}
