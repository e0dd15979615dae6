package qp.job.experiments;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import qp.job.io.SerializerTypeInfo;

/** Tells Flink to store {@link ExperimentAccumulator} with {@link ExperimentAccumulatorSerializer}, never with Kryo. */
public final class ExperimentAccumulatorTypeInfoFactory extends TypeInfoFactory<ExperimentAccumulator> {

    /** The type information of an experiment window's accumulator. */
    public static final TypeInformation<ExperimentAccumulator> INFO = new SerializerTypeInfo<>(
            ExperimentAccumulator.class, ExperimentAccumulatorSerializer.INSTANCE,
            "ExperimentAccumulator(packed cells, DDSketch bytes, session hashes)");

    @Override
    public TypeInformation<ExperimentAccumulator> createTypeInfo(Type t,
            Map<String, TypeInformation<?>> genericParameters) {
        return INFO;
    }
}
