package qp.job.bigrams;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import qp.job.analytics.AnalyticsSettings;
import qp.protocol.analytics.BigramWindow;
import qp.protocol.events.FrameEvent;

/** Frames → per-connection transitions → per node and window, the top sequences. */
public final class BigramStage {
    private BigramStage() {
    }

    /**
     * Frames are released once per bigram window ({@code w}'s size), see {@link ConnectionSequencer}. Each connection's
     * frames are gathered into runs in an operator chained to the one that makes the frames (same parallelism,
     * {@link ConnectionRunsInReader}), so the keyed edge carries one {@link SequencedRun} per connection and watermark
     * step, not a record per frame. The sequencer's state does not hold its input type, so its uid and state are
     * those of the builds that sent whole frames. Its output, counts per pair and window of a release, crosses the
     * keyed edge to the bigram windows field by field ({@link TransitionCountSerializer}).
     */
    public static SingleOutputStreamOperator<TransitionCount> transitions(DataStream<FrameEvent> frames,
            AnalyticsSettings.Bigrams b, AnalyticsSettings.Windows w) {
        return frames
                .transform("connection-runs-in-reader", SequencedRunSerializer.TYPE, new ConnectionRunsInReader())
                .uid("connection-runs-in-reader").setParallelism(frames.getParallelism())
                .keyBy(r -> Tuple2.of(r.nodeId(), r.connectionId()), Types.TUPLE(Types.STRING, Types.STRING))
                .process(new ConnectionSequencer(b.connectionIdleMillis(), w.sizeMillis(),
                        ConnectionSequencer.DEFAULT_MAX_PENDING_FRAMES), TransitionCountSerializer.TYPE)
                .name("connection-sequences-batched").uid("connection-sequences-batched"); // new state layout: new uid
    }

    public static SingleOutputStreamOperator<BigramWindow> bigrams(DataStream<TransitionCount> transitions,
            AnalyticsSettings.Bigrams b, AnalyticsSettings.Windows w) {
        return transitions
                .keyBy(TransitionCount::nodeId, Types.STRING)
                .window(new TransitionWindows(w.sizeMillis()))
                .aggregate(new BigramCounter(), new TopBigrams(b.topN()), Types.MAP(Types.STRING, Types.LONG),
                        Types.MAP(Types.STRING, Types.LONG), TypeInformation.of(BigramWindow.class))
                .name("bigrams").uid("bigrams");
    }
}
