package qp.job.windows;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import qp.job.io.SerializerTypeInfo;

/** Tells Flink to store {@link StatsAccumulator} with {@link StatsAccumulatorSerializer}, never with Kryo. */
public final class StatsAccumulatorTypeInfoFactory extends TypeInfoFactory<StatsAccumulator> {

    /** The type information of a window accumulator. */
    public static final TypeInformation<StatsAccumulator> INFO = new SerializerTypeInfo<>(
            StatsAccumulator.class, StatsAccumulatorSerializer.INSTANCE, "StatsAccumulator(DDSketch bytes)");

    @Override
    public TypeInformation<StatsAccumulator> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
        return INFO;
    }
}
