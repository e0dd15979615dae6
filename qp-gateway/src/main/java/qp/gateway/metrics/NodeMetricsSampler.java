package qp.gateway.metrics;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Clock;
import qp.gateway.events.EmitterStats;
import qp.gateway.events.EventEmitter;
import qp.gateway.experiments.ArmsInForce;
import qp.gateway.params.ParamsHolder;
import qp.gateway.time.GatewayClock;
import qp.protocol.events.NodeMetrics;
import qp.protocol.experiments.Assignment;
import qp.protocol.experiments.ExperimentSpec;

/**
 * Takes one {@link NodeMetrics} sample per interval (rates from counter deltas) and hands it to the emitter. Also
 * remembers whether the emitter dropped events recently, for readiness. While an experiment runs, a sample names
 * it, its parameter and both arms' values, and under switchback the arm the whole node is in (its {@code params} stay
 * the node's own, the control's: a treatment frame's value is the sample's {@code treatmentValue}).
 */
public final class NodeMetricsSampler implements Runnable {
    /** Readiness fails while the emitter dropped events within this many samples. */
    private static final int DROP_MEMORY_SAMPLES = 10;

    private final String nodeId;
    private final GatewayMetrics metrics;
    private final ParamsHolder params;
    private final EventEmitter emitter;
    private final com.sun.management.OperatingSystemMXBean os;
    private long lastNanos;
    private long lastFramesIn;
    private long lastFramesOut;
    private long lastBytesIn;
    private long lastBytesOut;
    private long lastTimeouts;
    private long lastDropped;
    private volatile int samplesSinceDrop = Integer.MAX_VALUE;

    private final String instanceId;
    private final String advertisedAdminUrl;
    /** The gateway's clock: the switchback block a sample falls in. */
    private final Clock clock;

    /**
     * {@code instanceId} and {@code advertisedAdminUrl} travel in every sample (either may be null); {@code clock}: the
     * sessions' clock, so a sample's switchback arm is the one the sessions run in.
     */
    public NodeMetricsSampler(String nodeId, GatewayMetrics metrics, ParamsHolder params, EventEmitter emitter,
            String instanceId, String advertisedAdminUrl, Clock clock) {
        this.clock = clock;
        this.lastNanos = GatewayClock.nanos(clock);
        this.instanceId = instanceId;
        this.advertisedAdminUrl = advertisedAdminUrl;
        this.nodeId = nodeId;
        this.metrics = metrics;
        this.params = params;
        this.emitter = emitter;
        this.os = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean b ? b : null;
    }

    @Override
    public void run() {
        try {
            emitter.emitNodeMetrics(sample());
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(NodeMetricsSampler.class).warn("node metrics sample failed", e);
        }
    }

    /** Takes a sample and advances the baseline. */
    public synchronized NodeMetrics sample() {
        long now = GatewayClock.nanos(clock);
        double secs = Math.max(1e-3, (now - lastNanos) / 1e9);
        long fin = metrics.framesInTotal();
        long fout = metrics.framesOutTotal();
        long bin = metrics.bytesInTotal();
        long bout = metrics.bytesOutTotal();
        long timeouts = metrics.heartbeatTimeoutsTotal();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        ParamsHolder.Versioned p = params.current();
        ExperimentSpec e = p.experiment();
        long nowMillis = clock.millis(); // one reading: the sample's time and the switchback block it falls in
        String nodeArm = e != null && e.assignment() == Assignment.SWITCHBACK
                ? ArmsInForce.arm(e, null, nowMillis).wire() : null;
        NodeMetrics m = new NodeMetrics(nodeId, nowMillis,
                (fin - lastFramesIn) / secs, (fout - lastFramesOut) / secs,
                (bin - lastBytesIn) / secs, (bout - lastBytesOut) / secs,
                os == null ? -1 : os.getProcessCpuLoad(),
                heap.getUsed(), heap.getMax(), metrics.sessions().get(),
                timeouts - lastTimeouts, timeouts, p.version(), p.params(), instanceId, advertisedAdminUrl,
                e == null ? null : e.id(), nodeArm, e == null ? null : e.parameter(), e == null ? null : e.control(),
                e == null ? null : e.treatment());
        lastNanos = now;
        lastFramesIn = fin;
        lastFramesOut = fout;
        lastBytesIn = bin;
        lastBytesOut = bout;
        lastTimeouts = timeouts;
        EmitterStats stats = emitter.stats();
        if (stats.dropped() > lastDropped) {
            samplesSinceDrop = 0;
        } else if (samplesSinceDrop < Integer.MAX_VALUE) {
            samplesSinceDrop++;
        }
        lastDropped = stats.dropped();
        return m;
    }

    /** Whether the emitter dropped events within the last few samples. */
    public boolean emitterFailing() {
        return samplesSinceDrop < DROP_MEMORY_SAMPLES;
    }
}
