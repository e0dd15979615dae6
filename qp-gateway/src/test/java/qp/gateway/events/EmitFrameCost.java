package qp.gateway.events;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import qp.protocol.events.FrameEvent;
import qp.broker.EmbeddedKafka;

/**
 * Measures what {@code emitFrame} costs the calling (session) thread, against a real broker. Not a test: run it by
 * hand (see the report). Bursts of 2,000 calls, then a pause until the sender has drained the queue, so the cost
 * measured is the enqueue, not the drop path; {@code threads} session threads emit at once.
 */
public final class EmitFrameCost {
    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        try (EmbeddedKafka kafka = EmbeddedKafka.startNew()) {
            kafka.createTopics("cost.frames:3", "cost.node-metrics");
            KafkaEmitterConfig config = new KafkaEmitterConfig(kafka.bootstrapServers(), "cost.frames",
                    "cost.node-metrics", Files.createTempDirectory("qp-cost-spool"), 256L << 20, 100_000);
            try (KafkaEventEmitter emitter = new KafkaEventEmitter(config, new SimpleMeterRegistry())) {
                FrameEvent[] events = new FrameEvent[2_000];
                for (int i = 0; i < events.length; i++) {
                    events[i] = EmitterTestEvents.frame("c" + (i % 16), i);
                }
                while (!emitter.stats().kafkaUp() || emitter.stats().spooled() > 0) { // warm: Kafka up, spool empty
                    emitter.emitFrame(events[0]);
                    Thread.sleep(50);
                }
                for (int round = 0; round < 2; round++) { // round 0 warms the JIT
                    double[] nsPerCall = new double[300 * threads];
                    for (int b = 0; b < 300; b++) {
                        CountDownLatch start = new CountDownLatch(1);
                        Thread[] ts = new Thread[threads];
                        long[] took = new long[threads];
                        for (int t = 0; t < threads; t++) {
                            int ti = t;
                            ts[t] = new Thread(() -> {
                                try {
                                    start.await();
                                } catch (InterruptedException e) {
                                    return;
                                }
                                long t0 = System.nanoTime();
                                for (FrameEvent e : events) {
                                    emitter.emitFrame(e);
                                }
                                took[ti] = System.nanoTime() - t0;
                            });
                            ts[t].start();
                        }
                        start.countDown();
                        for (Thread t : ts) {
                            t.join();
                        }
                        for (int t = 0; t < threads; t++) {
                            nsPerCall[b * threads + t] = (double) took[t] / events.length;
                        }
                        while (emitter.stats().queueDepth() > 0) {
                            Thread.onSpinWait();
                        }
                    }
                    Arrays.sort(nsPerCall);
                    System.out.printf("round %d, %d thread(s): emitFrame ns/call over bursts of %d: median %.0f,"
                            + " p90 %.0f, max %.0f; dropped %d, sent %d%n", round, threads, events.length,
                            nsPerCall[nsPerCall.length / 2], nsPerCall[nsPerCall.length * 9 / 10],
                            nsPerCall[nsPerCall.length - 1], emitter.stats().dropped(), emitter.stats().sent());
                }
            }
        }
    }
}
