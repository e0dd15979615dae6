package qp.gateway.events;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;

/**
 * The child process of {@link SpoolSurvivesACrashTest}: emits while Kafka is away, reports when the events are in
 * the spool, then waits to be killed (never closes the emitter).
 */
public final class CrashingEmitterMain {
    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String prefix = args[1];
        Path spoolDir = Path.of(args[2]);
        int n = Integer.parseInt(args[3]);
        KafkaEventEmitter emitter = new KafkaEventEmitter(
                EmitterTestEvents.config(bootstrap, prefix, spoolDir, 64 << 20), new SimpleMeterRegistry());
        for (int seq = 0; seq < n; seq++) {
            emitter.emitFrame(EmitterTestEvents.frame("c0", seq));
        }
        while (emitter.stats().spooled() < n) {
            Thread.sleep(20);
        }
        System.out.println("SPOOLED " + emitter.stats().spooled());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE); // the test kills this process
    }
}
