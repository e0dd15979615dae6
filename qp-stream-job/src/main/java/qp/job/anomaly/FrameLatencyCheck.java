package qp.job.anomaly;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import qp.job.analytics.AnalyticsSettings;
import qp.protocol.analytics.Anomaly;
import qp.job.windows.NodeTypeInput;
import qp.job.windows.TypePartialsInReader;
import qp.job.windows.TypeWindowPartial;

/**
 * The {@link FrameLatencySpikeDetector} on what crosses the exchange by node/type ({@link TypePartialsInReader}): each
 * candidate frame is judged, each per-type window partial teaches the detector the typical frame and goes on to the
 * per-type windows, chained behind this with the same key; the anomalies go to {@link #ANOMALIES}. Same state as the
 * detector on its own, so a checkpoint of a build that judged every frame here restores.
 */
public final class FrameLatencyCheck
        extends KeyedProcessFunction<Tuple2<String, String>, NodeTypeInput, TypeWindowPartial> {
    public static final OutputTag<Anomaly> ANOMALIES = new OutputTag<>("frame-latency-anomalies") {
    };
    private final FrameLatencySpikeDetector detector;

    public FrameLatencyCheck(AnalyticsSettings.Detectors settings) {
        this.detector = new FrameLatencySpikeDetector(settings);
    }

    @Override
    public void open(OpenContext ctx) throws Exception {
        detector.setRuntimeContext(getRuntimeContext());
        detector.open(ctx);
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"}) // the detector uses only the context's timer service
    public void processElement(NodeTypeInput in, Context ctx, Collector<TypeWindowPartial> out) throws Exception {
        if (in.frame() != null) {
            detector.judge(in.frame(), (KeyedProcessFunction.Context) ctx, anomalies(ctx), false);
        } else {
            detector.learnTypical(in.partial().stats(), ctx.timestamp(), (KeyedProcessFunction.Context) ctx);
            out.collect(in.partial());
        }
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TypeWindowPartial> out) throws Exception {
        detector.onTimer(timestamp, (KeyedProcessFunction.OnTimerContext) ctx, anomalies(ctx));
    }

    private static Collector<Anomaly> anomalies(Context ctx) {
        return new Collector<>() {
            @Override
            public void collect(Anomaly a) {
                ctx.output(ANOMALIES, a);
            }

            @Override
            public void close() {
            }
        };
    }
}
