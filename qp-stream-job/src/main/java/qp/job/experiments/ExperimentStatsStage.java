package qp.job.experiments;

import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import qp.job.analytics.AnalyticsSettings;
import qp.protocol.analytics.ExperimentStats;
import qp.protocol.events.FrameEvent;

/**
 * Per-arm statistics of running experiments: the frames that carry an experiment, keyed by (node, experiment), in
 * the job's tumbling windows with its allowed lateness; one {@link ExperimentStats} per key and window.
 */
public final class ExperimentStatsStage {
    public static final TypeInformation<Tuple2<String, String>> NODE_EXPERIMENT = Types.TUPLE(Types.STRING, Types.STRING);
    public static final KeySelector<ExperimentFrame, Tuple2<String, String>> NODE_AND_EXPERIMENT =
            new NodeAndExperiment();

    private static final class NodeAndExperiment implements KeySelector<ExperimentFrame, Tuple2<String, String>> {
        private static final long serialVersionUID = 1L;

        @Override
        public Tuple2<String, String> getKey(ExperimentFrame f) {
            return Tuple2.of(f.nodeId(), f.experimentId());
        }
    }

    private ExperimentStatsStage() {
    }

    public static SingleOutputStreamOperator<ExperimentStats> stats(DataStream<FrameEvent> frames,
            AnalyticsSettings.Windows w) {
        // At the frames' parallelism, so that the filter and the cut chain to the operator that makes them: frames
        // without an experiment never cross the network on its account, the others only with the fields it reads.
        DataStream<ExperimentFrame> experimentFrames = frames.filter(new ExperimentFrames())
                .name("experiment-frames").uid("experiment-frames").setParallelism(frames.getParallelism())
                .map(ExperimentFrame::of).returns(ExperimentFrameSerializer.TYPE)
                .name("experiment-frame-fields").uid("experiment-frame-fields").setParallelism(frames.getParallelism());
        return experimentFrames
                .keyBy(NODE_AND_EXPERIMENT, NODE_EXPERIMENT)
                .window(TumblingEventTimeWindows.of(Duration.ofMillis(w.sizeMillis())))
                .allowedLateness(Duration.ofMillis(w.allowedLatenessMillis()))
                .aggregate(new ExperimentStatsAggregate(w.sketchRelativeAccuracy()), new ExperimentWindowFunction(),
                        ExperimentAccumulatorTypeInfoFactory.INFO, ExperimentAccumulatorTypeInfoFactory.INFO,
                        TypeInformation.of(ExperimentStats.class))
                .name("experiment-stats").uid("experiment-stats");
    }
}
