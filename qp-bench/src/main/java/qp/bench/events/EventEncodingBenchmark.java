package qp.bench.events;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import qp.protocol.events.FrameEvent;

/**
 * Issue 20's comparison: encode and decode of one realistic frame event in each candidate encoding
 * ({@link FrameEventCoders#byName}); run with {@code -prof gc} for the bytes allocated per operation. Bytes per event
 * are printed at set-up. Decode builds the whole {@code FrameEvent}, as the job needs it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EventEncodingBenchmark {
    @Param({"json", "avroGeneric", "avroFields", "protobuf", "fixedLayout", "codec"})
    public String coder;

    private FrameEventCoder c;
    private FrameEvent event;
    private byte[] encoded;

    @Setup
    public void setUp() {
        c = FrameEventCoders.byName(coder);
        event = FrameEventCoders.realisticEvent();
        encoded = c.encode(event);
        if (!c.decode(encoded).equals(event)) {
            throw new IllegalStateException(coder + " does not read back what it wrote");
        }
        System.out.println("bytes per event, " + coder + ": " + encoded.length + " (with an experiment: "
                + c.encode(FrameEventCoders.experimentEvent()).length + ")");
    }

    @Benchmark
    public byte[] encode() {
        return c.encode(event);
    }

    @Benchmark
    public FrameEvent decode() {
        return c.decode(encoded);
    }

    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(EventEncodingBenchmark.class.getName()).build()).run();
    }
}
