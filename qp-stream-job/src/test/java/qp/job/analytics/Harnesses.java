package qp.job.analytics;

import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import qp.protocol.events.NodeMetrics;
import qp.protocol.params.TunableParams;

/** Operator harnesses with generic types disabled, as the job runs: a Kryo fallback fails the test. */
public final class Harnesses {
    private Harnesses() {
    }

    public static <K, IN, OUT> KeyedOneInputStreamOperatorTestHarness<K, IN, OUT> keyed(
            KeyedProcessFunction<K, IN, OUT> f, KeySelector<IN, K> key, TypeInformation<K> keyType) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<K, IN, OUT> h = keyedToRestore(f, key, keyType);
        h.open();
        return h;
    }

    /** As {@link #keyed}, not yet opened: for a test that restores a checkpoint into it first. */
    public static <K, IN, OUT> KeyedOneInputStreamOperatorTestHarness<K, IN, OUT> keyedToRestore(
            KeyedProcessFunction<K, IN, OUT> f, KeySelector<IN, K> key, TypeInformation<K> keyType) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<K, IN, OUT> h =
                new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(f), key, keyType);
        noKryo(h.getExecutionConfig().getSerializerConfig());
        return h;
    }

    /** The state backend a checkpoint-restore test runs on: {@code rocksdb}, else the heap's. */
    public static StateBackend backend(String name) {
        return name.equals("rocksdb") ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend();
    }

    public static void noKryo(Object serializerConfig) {
        ((SerializerConfigImpl) serializerConfig).setGenericTypes(false);
    }

    /** An environment to build a real operator (e.g. a window) on, then run it in a harness. */
    public static StreamExecutionEnvironment environment() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        return StreamExecutionEnvironment.getExecutionEnvironment(conf);
    }

    public static <T> DataStream<T> placeholderSource(StreamExecutionEnvironment env, T sample, Class<T> type) {
        return env.fromData(List.of(sample), TypeInformation.of(type));
    }

    /** The keyed operator behind a stream built on {@link #environment()}, in a harness, opened. */
    @SuppressWarnings("unchecked")
    public static <K, IN, OUT> KeyedOneInputStreamOperatorTestHarness<K, IN, OUT> of(
            SingleOutputStreamOperator<OUT> stream) throws Exception {
        OneInputTransformation<IN, OUT> t = (OneInputTransformation<IN, OUT>) stream.getTransformation();
        KeyedOneInputStreamOperatorTestHarness<K, IN, OUT> h = new KeyedOneInputStreamOperatorTestHarness<>(
                t.getOperatorFactory(), (KeySelector<IN, K>) t.getStateKeySelector(),
                (TypeInformation<K>) t.getStateKeyType());
        noKryo(h.getExecutionConfig().getSerializerConfig());
        return h;
    }

    /** One node-metrics sample of {@code node} at {@code millis}, with event-time timestamps: the pipeline's other input. */
    public static DataStream<NodeMetrics> oneMetricsSample(StreamExecutionEnvironment env, String node, long millis) {
        return env.fromData(List.of(new NodeMetrics(node, millis, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
                        TunableParams.defaults())), TypeInformation.of(NodeMetrics.class))
                .assignTimestampsAndWatermarks(WatermarkStrategy.<NodeMetrics>forMonotonousTimestamps()
                        .withTimestampAssigner((m, t) -> m.timestampMillis()));
    }
}
