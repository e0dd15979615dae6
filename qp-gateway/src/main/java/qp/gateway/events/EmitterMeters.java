package qp.gateway.events;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The emitter's numbers, kept in plain atomics (read by {@code stats()}) and exposed on the registry as
 * {@code qp.emitter.*} (Prometheus: {@code qp_emitter_*}).
 */
final class EmitterMeters {
    final AtomicLong sent = new AtomicLong();
    final AtomicLong spooled = new AtomicLong();
    final AtomicLong spoolBytes = new AtomicLong();
    final AtomicLong spoolWrites = new AtomicLong();
    final AtomicLong inFlight = new AtomicLong();
    final AtomicLong kafkaUp = new AtomicLong();
    private final Map<DropReason, LongAdder> dropped = new EnumMap<>(DropReason.class);

    EmitterMeters(MeterRegistry registry, IntSupplier queueDepth) {
        for (DropReason r : DropReason.values()) {
            LongAdder a = new LongAdder();
            dropped.put(r, a);
            FunctionCounter.builder("qp.emitter.dropped", a, LongAdder::doubleValue)
                    .tag("reason", r.tag)
                    .description("events that could be kept neither in memory nor in the spool")
                    .register(registry);
        }
        Gauge.builder("qp.emitter.queue.depth", queueDepth, IntSupplier::getAsInt).strongReference(true)
                .description("events waiting in memory for the sender thread").register(registry);
        gauge(registry, "qp.emitter.inflight", inFlight, "events handed to the Kafka producer, not yet acknowledged");
        gauge(registry, "qp.emitter.spooled", spooled, "events held in the on-disk spool");
        gauge(registry, "qp.emitter.spool.bytes", spoolBytes, "bytes counted against the spool's bound");
        gauge(registry, "qp.emitter.kafka.up", kafkaUp, "1 when Kafka acknowledged the last sends, 0 while it is away");
        FunctionCounter.builder("qp.emitter.sent", sent, AtomicLong::doubleValue)
                .description("events acknowledged by Kafka").register(registry);
        FunctionCounter.builder("qp.emitter.spool.writes", spoolWrites, AtomicLong::doubleValue)
                .description("events written to the spool").register(registry);
    }

    private static void gauge(MeterRegistry registry, String name, AtomicLong value, String description) {
        Gauge.builder(name, value, AtomicLong::doubleValue).strongReference(true).description(description)
                .register(registry);
    }

    void drop(DropReason reason, long n) {
        dropped.get(reason).add(n);
    }

    long dropped(DropReason reason) {
        return dropped.get(reason).sum();
    }

    long droppedTotal() {
        long t = 0;
        for (LongAdder a : dropped.values()) {
            t += a.sum();
        }
        return t;
    }
}
