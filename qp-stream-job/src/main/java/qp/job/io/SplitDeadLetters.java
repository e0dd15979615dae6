package qp.job.io;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Sends decoded values on and dead letters to the {@link #DEAD_LETTERS} side output, counting them in the metric
 * {@code deadLetters}. Timestamps assigned at the source stay with the values.
 */
public final class SplitDeadLetters<T> extends ProcessFunction<Decoded<T>, T> implements ResultTypeQueryable<T> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    private final TypeInformation<T> valueType;
    private transient Counter deadLetters;

    public SplitDeadLetters(TypeInformation<T> valueType) {
        this.valueType = valueType;
    }

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext openContext) {
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    }

    @Override
    public void processElement(Decoded<T> in, Context ctx, Collector<T> out) {
        if (in.value != null) {
            out.collect(in.value);
        } else {
            deadLetters.inc();
            ctx.output(DEAD_LETTERS, in.deadLetter);
        }
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return valueType;
    }
}
