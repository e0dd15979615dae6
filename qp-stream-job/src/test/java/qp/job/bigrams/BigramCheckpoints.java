package qp.job.bigrams;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import qp.job.analytics.AnalyticsSettings;
import qp.job.analytics.Harnesses;
import qp.job.analytics.TestFrames;
import qp.job.io.QpTypes;
import qp.protocol.analytics.BigramWindow;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;

/**
 * The sequencer and the "bigrams" windows as the job builds them ({@link BigramStage}), and the checkpoints of them
 * that {@link BigramStateMigrationTest} restores. Nothing here names the record between the two, so this file
 * compiles against the builds before and after that record changed: {@link #main} wrote the checkpoints under
 * {@code src/test/resources/qp/job/bigrams/} with the classes of 27a78ba (one TypeTransition per frame), compiled
 * alone against them:
 * <pre>
 * javac -cp OLD/classes:OLD/test-classes:$(cat TEST_CLASS_PATH) -d DIR BigramCheckpoints.java
 * java -cp DIR:OLD/classes:OLD/test-classes:$(cat TEST_CLASS_PATH) qp.job.bigrams.BigramCheckpoints \
 *     qp-stream-job/src/test/resources/qp/job/bigrams
 * </pre>
 */
final class BigramCheckpoints {
    static final AnalyticsSettings.Bigrams BIGRAMS = AnalyticsSettings.Bigrams.defaults();
    static final AnalyticsSettings.Windows WINDOWS = AnalyticsSettings.Windows.defaults(); // 10 s

    private BigramCheckpoints() {
    }

    /** The sequencer and the bigram windows of the job, each in a harness (not opened). */
    record Operators(KeyedOneInputStreamOperatorTestHarness<?, SequencedRun, ?> sequencer,
            KeyedOneInputStreamOperatorTestHarness<String, ?, BigramWindow> windows) {

        static Operators of(String backend) throws Exception {
            StreamExecutionEnvironment env = Harnesses.environment();
            DataStream<FrameEvent> frames = env.fromData(List.of(frame("n", "c", 0, "AUTH", 0)), QpTypes.FRAME);
            SingleOutputStreamOperator<?> transitions = BigramStage.transitions(frames, BIGRAMS, WINDOWS);
            KeyedOneInputStreamOperatorTestHarness<?, SequencedRun, ?> s = Harnesses.of(transitions);
            KeyedOneInputStreamOperatorTestHarness<String, ?, BigramWindow> w =
                    Harnesses.of(bigrams(transitions));
            s.setStateBackend(Harnesses.backend(backend));
            w.setStateBackend(Harnesses.backend(backend));
            return new Operators(s, w);
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private static SingleOutputStreamOperator<BigramWindow> bigrams(SingleOutputStreamOperator<?> transitions) {
            return BigramStage.bigrams((DataStream) transitions, BIGRAMS, WINDOWS);
        }

        void add(FrameEvent f) throws Exception {
            sequencer.processElement(SequencedRun.of(f), f.eventTimeMillis());
        }

        /** What the sequencer emitted, to the windows: records always, watermarks only if asked. */
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<Object> move(boolean watermarks) throws Exception {
            List<Object> records = new ArrayList<>();
            for (Object o : new ArrayList<>(sequencer.getOutput())) {
                if (o instanceof StreamRecord r) {
                    records.add(r.getValue());
                    ((KeyedOneInputStreamOperatorTestHarness) windows).processElement(r);
                } else if (o instanceof Watermark w && watermarks) {
                    windows.processWatermark(w);
                }
            }
            sequencer.getOutput().clear();
            return records;
        }
    }

    static FrameEvent frame(String node, String connection, long seq, String type, long t) {
        return TestFrames.onConnection(node, connection, seq, type, Direction.IN, t);
    }

    static String resource(String operator, String backend) {
        return "bigram-" + operator + "-before-counts-" + backend + ".snapshot";
    }

    /**
     * Writes the checkpoints of both backends into {@code args[0]} with whatever classes are loaded. The sequencer
     * has put c1's AUTH, COMMAND, ACK and c2's HEARTBEAT in order (watermark 10,500) and waits with c1's DATA at 12 s
     * and c2's HEARTBEAT at 11 s; the windows hold n1's window [0, 10 s) with AUTH->COMMAND and COMMAND->ACK, not
     * fired yet (the watermark that would fire it is held back, as when another input channel is behind).
     */
    public static void main(String[] args) throws Exception {
        for (String backend : List.of("heap", "rocksdb")) {
            Operators o = Operators.of(backend);
            try (var s = o.sequencer(); var w = o.windows()) {
                s.open();
                w.open();
                o.add(frame("n1", "c1", 0, "AUTH", 1_000));
                o.add(frame("n1", "c2", 0, "HEARTBEAT", 1_500));
                o.add(frame("n1", "c1", 2, "ACK", 3_000));
                o.add(frame("n1", "c1", 1, "COMMAND", 2_000));
                o.add(frame("n1", "c1", 3, "DATA", 12_000));
                o.add(frame("n1", "c2", 1, "HEARTBEAT", 11_000));
                s.processWatermark(10_500);
                System.out.println(backend + ": the windows got " + o.move(false));
                OperatorSnapshotUtil.writeStateHandle(s.snapshot(1, 0),
                        Path.of(args[0], resource("sequencer", backend)).toString());
                OperatorSnapshotUtil.writeStateHandle(w.snapshot(1, 0),
                        Path.of(args[0], resource("windows", backend)).toString());
            }
        }
    }
}
