package qp.bench.events;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.FrameEventJson;
import qp.protocol.json.QpJson;

/** The cost of writing one frame event as JSON: Jackson databind against the streaming writer, side by side. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameEventEncodingBenchmark {
    private final FrameEvent event = new FrameEvent("edge-1", "edge-1-c42", 17, "s-7f3a", "COMMAND", "echo",
            Direction.IN, 71, 64, false, 184, FrameEvent.OK, 3, 1_795_704_016_817L);

    @Benchmark
    public byte[] databind() {
        return QpJson.bytes(event);
    }

    @Benchmark
    public byte[] streaming() {
        return FrameEventJson.write(event);
    }

    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(FrameEventEncodingBenchmark.class.getName()).build()).run();
    }
}
