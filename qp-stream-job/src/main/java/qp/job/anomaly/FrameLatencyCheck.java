package qp.job.anomaly;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import qp.job.analytics.AnalyticsSettings;
import qp.protocol.analytics.Anomaly;
import qp.protocol.events.FrameEvent;

/**
 * The {@link FrameLatencySpikeDetector} as a tap on the frames keyed by node/type: every frame goes on unchanged (to
 * the node/type windows, chained behind it with the same key), the anomalies go to {@link #ANOMALIES}. So the frames
 * cross one keyed exchange for both instead of two. Same state as the detector on its own.
 */
public final class FrameLatencyCheck extends KeyedProcessFunction<Tuple2<String, String>, FrameEvent, FrameEvent> {
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
    public void processElement(FrameEvent f, Context ctx, Collector<FrameEvent> out) throws Exception {
        out.collect(f);
        detector.processElement(f, (KeyedProcessFunction.Context) ctx, anomalies(ctx));
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<FrameEvent> out) throws Exception {
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
