package qp.job.experiments;

import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import qp.protocol.analytics.ExperimentStats;

/** Turns a closed window's accumulator of key (node, experiment) into its {@link ExperimentStats} record. */
public final class ExperimentWindowFunction
        extends ProcessWindowFunction<ExperimentAccumulator, ExperimentStats, Tuple2<String, String>, TimeWindow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void process(Tuple2<String, String> nodeAndExperiment, Context ctx, Iterable<ExperimentAccumulator> accs,
            Collector<ExperimentStats> out) {
        for (ExperimentAccumulator acc : accs) {
            out.collect(new ExperimentStats(nodeAndExperiment.f0, nodeAndExperiment.f1, ctx.window().getStart(),
                    ctx.window().getEnd(), acc.cells(), acc.latency(), acc.units()));
        }
    }
}
