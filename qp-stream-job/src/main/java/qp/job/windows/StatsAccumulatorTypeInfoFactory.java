package qp.job.windows;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Tells Flink to store {@link StatsAccumulator} with {@link StatsAccumulatorSerializer}, never with Kryo. */
public final class StatsAccumulatorTypeInfoFactory extends TypeInfoFactory<StatsAccumulator> {

    @Override
    public TypeInformation<StatsAccumulator> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
        return new Info();
    }

    /** The type information of a window accumulator. */
    public static final class Info extends TypeInformation<StatsAccumulator> {
        @Override
        public boolean isBasicType() {
            return false;
        }

        @Override
        public boolean isTupleType() {
            return false;
        }

        @Override
        public int getArity() {
            return 1;
        }

        @Override
        public int getTotalFields() {
            return 1;
        }

        @Override
        public Class<StatsAccumulator> getTypeClass() {
            return StatsAccumulator.class;
        }

        @Override
        public boolean isKeyType() {
            return false;
        }

        @Override
        public TypeSerializer<StatsAccumulator> createSerializer(SerializerConfig config) {
            return StatsAccumulatorSerializer.INSTANCE;
        }

        @Override
        public String toString() {
            return "StatsAccumulator(DDSketch bytes)";
        }

        @Override
        public boolean equals(Object obj) {
            return obj instanceof Info;
        }

        @Override
        public int hashCode() {
            return Info.class.hashCode();
        }

        @Override
        public boolean canEqual(Object obj) {
            return obj instanceof Info;
        }
    }
}
