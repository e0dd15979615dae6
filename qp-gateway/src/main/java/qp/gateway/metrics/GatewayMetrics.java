package qp.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import qp.gateway.events.EventEmitter;
import qp.gateway.params.ParamsHolder;
import qp.protocol.events.FrameEvent;
import qp.protocol.experiments.Arm;
import qp.protocol.frame.MessageType;
import qp.protocol.params.TunableParameter;

/**
 * The gateway's Micrometer meters. Counters are created once and held in arrays indexed by message type, so the
 * hot path does no registry look-ups.
 */
public final class GatewayMetrics {
    private static final MessageType[] TYPES = MessageType.values();
    private static final int INVALID = TYPES.length;

    private final MeterRegistry registry;
    private final Counter[] framesIn = new Counter[TYPES.length + 1];
    private final Counter[] framesOut = new Counter[TYPES.length + 1];
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Counter messagesOut;
    private final Counter heartbeatTimeouts;
    private final Counter readPauses;
    private final Timer latency;
    private final AtomicInteger sessions = new AtomicInteger();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (int i = 0; i <= TYPES.length; i++) {
            String type = i == INVALID ? FrameEvent.INVALID_TYPE : TYPES[i].name();
            framesIn[i] = Counter.builder("qp.frames").tag("direction", "in").tag("type", type)
                    .description("QP frames handled").register(registry);
            framesOut[i] = Counter.builder("qp.frames").tag("direction", "out").tag("type", type)
                    .description("QP frames handled").register(registry);
        }
        bytesIn = Counter.builder("qp.bytes").tag("direction", "in").baseUnit("bytes")
                .description("QP wire bytes (headers and payloads as sent)").register(registry);
        bytesOut = Counter.builder("qp.bytes").tag("direction", "out").baseUnit("bytes")
                .description("QP wire bytes (headers and payloads as sent)").register(registry);
        messagesOut = Counter.builder("qp.websocket.messages.out")
                .description("binary WebSocket messages sent; STREAM frames are batched up to buffer_size per message")
                .register(registry);
        heartbeatTimeouts = Counter.builder("qp.heartbeat.timeouts")
                .description("sessions closed (1001) after twice heartbeat_interval of silence").register(registry);
        readPauses = Counter.builder("qp.backpressure.pauses")
                .description("times a session stopped reading because its client did not read megabytes of replies")
                .register(registry);
        latency = Timer.builder("qp.frame.latency")
                .description("from receiving a frame to its reply written")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        Gauge.builder("qp.sessions", sessions, AtomicInteger::get)
                .description("open WebSocket connections").register(registry);
    }

    /**
     * Gauges of the emitter's queue, spool and drops, from {@link EventEmitter#stats()}, for each name the emitter
     * has not registered itself (KafkaEventEmitter registers richer ones in a shared registry).
     */
    public void bindEmitter(EventEmitter emitter) {
        if (absent("qp.emitter.queue.depth")) {
            Gauge.builder("qp.emitter.queue.depth", emitter, e -> e.stats().queueDepth())
                    .description("frame events waiting in memory").register(registry);
        }
        if (absent("qp.emitter.spooled")) {
            Gauge.builder("qp.emitter.spooled", emitter, e -> e.stats().spooled())
                    .description("events held in the on-disk spool").register(registry);
        }
        if (absent("qp.emitter.dropped")) {
            FunctionCounter.builder("qp.emitter.dropped", emitter, e -> e.stats().dropped())
                    .description("events kept neither in memory nor in the spool").register(registry);
        }
        if (absent("qp.emitter.sent")) {
            FunctionCounter.builder("qp.emitter.sent", emitter, e -> e.stats().sent())
                    .description("events acknowledged by Kafka").register(registry);
        }
    }

    private boolean absent(String name) {
        return registry.find(name).meter() == null;
    }

    /** Gauges of the parameters in force and their version. */
    public void bindParams(ParamsHolder params) {
        Gauge.builder("qp.params.version", params, ParamsHolder::version).register(registry);
        for (TunableParameter p : TunableParameter.values()) {
            Gauge.builder("qp.param", params, h -> h.params().get(p)).tag("name", p.wireName())
                    .description("tunable parameter in force (0 = off)").register(registry);
        }
    }

    /**
     * {@code qp.experiment.running} (1 while an experiment runs on the node) and {@code qp.experiment.sessions{arm}}
     * (open sessions in each arm, 0 without an experiment), both read when scraped.
     */
    public void bindExperiment(ParamsHolder params, ToIntFunction<Arm> sessionsInArm) {
        Gauge.builder("qp.experiment.running", params, h -> h.current().experiment() == null ? 0 : 1)
                .description("1 while an experiment runs on the node, else 0").register(registry);
        for (Arm arm : Arm.values()) {
            Gauge.builder("qp.experiment.sessions", params, h -> sessionsInArm.applyAsInt(arm)).tag("arm", arm.wire())
                    .description("open sessions in each arm of the running experiment (under switchback all are in "
                            + "the node's arm); 0 without one").register(registry);
        }
    }

    public void frameIn(MessageType type, int wireBytes) {
        framesIn[type == null ? INVALID : type.ordinal()].increment();
        bytesIn.increment(wireBytes);
    }

    public void frameOut(MessageType type, int wireBytes) {
        framesOut[type.ordinal()].increment();
        bytesOut.increment(wireBytes);
    }

    public void messageOut() {
        messagesOut.increment();
    }

    public void error(String code) {
        errors.computeIfAbsent(code, c -> Counter.builder("qp.errors").tag("code", c)
                .description("ERROR frames sent, by code").register(registry)).increment();
    }

    public void latencyNanos(long nanos) {
        latency.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void readPaused() {
        readPauses.increment();
    }

    public long readPausesTotal() {
        return (long) readPauses.count();
    }

    public void heartbeatTimeout() {
        heartbeatTimeouts.increment();
    }

    public AtomicInteger sessions() {
        return sessions;
    }

    public long heartbeatTimeoutsTotal() {
        return (long) heartbeatTimeouts.count();
    }

    public long framesInTotal() {
        return sum(framesIn);
    }

    public long framesOutTotal() {
        return sum(framesOut);
    }

    public long bytesInTotal() {
        return (long) bytesIn.count();
    }

    public long bytesOutTotal() {
        return (long) bytesOut.count();
    }

    public long messagesOutTotal() {
        return (long) messagesOut.count();
    }

    public long errorsTotal(String code) {
        Counter c = errors.get(code);
        return c == null ? 0 : (long) c.count();
    }

    private static long sum(Counter[] counters) {
        double s = 0;
        for (Counter c : counters) {
            s += c.count();
        }
        return (long) s;
    }
}
