package qp.bench.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import qp.protocol.frame.Frame;
import qp.protocol.frame.FrameEncoder;
import qp.protocol.frame.FrameException;
import qp.protocol.frame.FrameReader;
import qp.protocol.frame.MessageType;

/** The frame codec alone: what one 64-byte echo COMMAND costs to read and to write, plain, batched and compressed. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameCodecBenchmark {
    private static final long MAX = 1 << 20;

    private byte[] command64;
    private ByteBuffer frame64;
    private ByteBuffer batch8;
    private byte[] json1k;
    private ByteBuffer compressed1k;

    @Setup
    public void setup() {
        command64 = "{\"id\":1000000001,\"op\":\"echo\",\"args\":{\"p\":\"xxxxxxxxxxxxxxxx\"}}".getBytes(StandardCharsets.US_ASCII);
        byte[] f = FrameEncoder.encode(MessageType.COMMAND, command64);
        frame64 = ByteBuffer.wrap(f);
        batch8 = ByteBuffer.wrap(FrameEncoder.concat(f, f, f, f, f, f, f, f));
        json1k = ("{\"id\":1,\"op\":\"echo\",\"args\":{\"p\":\"" + "abcdefgh".repeat(120) + "\"}}").getBytes(StandardCharsets.US_ASCII);
        compressed1k = ByteBuffer.wrap(FrameEncoder.encode(MessageType.COMMAND, json1k, true));
    }

    @Benchmark
    public byte[] encode64() {
        return FrameEncoder.encode(MessageType.ACK, command64);
    }

    @Benchmark
    public Frame read64() throws FrameException {
        return new FrameReader(frame64, MAX).next();
    }

    @Benchmark
    public void readBatchOf8(Blackhole bh) throws FrameException {
        FrameReader r = new FrameReader(batch8, MAX);
        while (r.hasNext()) {
            bh.consume(r.next());
        }
    }

    @Benchmark
    public byte[] encodeCompressed1k() {
        return FrameEncoder.encode(MessageType.ACK, json1k, true);
    }

    @Benchmark
    public Frame readCompressed1k() throws FrameException {
        return new FrameReader(compressed1k, MAX).next();
    }

    /** Runs the benchmarks above; arguments are an optional regex of benchmark names. */
    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder()
                .include(FrameCodecBenchmark.class.getName() + "." + (args.length > 0 ? args[0] : ".*"))
                .build()).run();
    }
}
