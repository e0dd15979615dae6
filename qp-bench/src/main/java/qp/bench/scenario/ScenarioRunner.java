package qp.bench.scenario;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import qp.protocol.json.QpJson;

/**
 * Plays a script against the gateways: each phase opens fresh connections (so its frames can be told apart by
 * session), paces requests at the configured rate, sets the upstream's behaviour, runs the surge when it is its turn,
 * waits for the phase's replies, closes its connections and reports its counts. Nothing here knows about detectors,
 * models, parameters or the agent: it only makes traffic.
 */
public final class ScenarioRunner {
    private static final long TICK_MILLIS = 20;
    private static final long DRAIN_MILLIS = 15_000;
    private static final long KEEPALIVE_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** Told about phase transitions and notable moments, in order, on the runner's thread. */
    public interface Listener {
        void phaseStarted(int index, int of, ScenarioScript.Step step);

        void phaseEnded(int index, int of, ScenarioScript.Step step, PhaseCounts.Snapshot counts);

        void note(String line);
    }

    /** One finished phase. */
    public record PhaseResult(ScenarioScript.Step step, PhaseCounts.Snapshot counts) {
    }

    private final ScenarioConfig config;
    private final SlowUpstream upstream;
    private final Listener listener;
    private final TrafficMix mix;
    private final SplittableRandom random;
    private final AtomicLong ids = new AtomicLong(1);
    private volatile boolean stopped;
    private volatile int currentPhase = -1;
    private volatile long phaseStartedNanos;

    public ScenarioRunner(ScenarioConfig config, SlowUpstream upstream, Listener listener) {
        this.config = config;
        this.upstream = upstream;
        this.listener = listener;
        this.mix = new TrafficMix(config.seed());
        this.random = new SplittableRandom(config.seed() * 31 + 7);
    }

    /** Ends the current phase early and skips the rest (Ctrl-C, the demo's end). */
    public void stop() {
        stopped = true;
    }

    /** Index of the phase being played (-1 before, the count after). */
    public int currentPhase() {
        return currentPhase;
    }

    /** Seconds since the current phase started. */
    public double phaseSeconds() {
        return (System.nanoTime() - phaseStartedNanos) / 1e9;
    }

    public List<PhaseResult> run() throws InterruptedException {
        List<PhaseResult> results = new ArrayList<>();
        List<ScenarioScript.Step> steps = config.script().steps();
        for (int i = 0; i < steps.size() && !stopped; i++) {
            ScenarioScript.Step step = steps.get(i);
            currentPhase = i;
            phaseStartedNanos = System.nanoTime();
            listener.phaseStarted(i, steps.size(), step);
            PhaseCounts counts = new PhaseCounts();
            PhaseCounts.Snapshot snap = play(step, counts);
            results.add(new PhaseResult(step, snap));
            listener.phaseEnded(i, steps.size(), step, snap);
        }
        currentPhase = steps.size();
        return results;
    }

    private PhaseCounts.Snapshot play(ScenarioScript.Step step, PhaseCounts counts) throws InterruptedException {
        Phase phase = step.phase();
        upstream.setAll(config.gateways().keySet(), phase == Phase.SLOW_UPSTREAM
                ? new SlowUpstream.Behaviour(250, 400, 0) : SlowUpstream.Behaviour.FAST);
        Map<String, List<ScenarioConnection>> conns = new LinkedHashMap<>();
        List<ScenarioConnection> surge = new ArrayList<>();
        Thread surgeThread = null;
        try {
            for (Map.Entry<String, URI> g : config.gateways().entrySet()) {
                List<ScenarioConnection> list = new ArrayList<>();
                for (int c = 0; c < config.connectionsPerGateway(); c++) {
                    ScenarioConnection sc = ScenarioConnection.open(g.getValue(), counts, config.token());
                    list.add(sc);
                    if (!await(sc)) {
                        listener.note(g.getKey() + ": a connection was not admitted (gateway full or token refused)");
                    }
                }
                conns.put(g.getKey(), list);
            }
            if (phase == Phase.SURGE && config.surgeConnections() > 0) {
                surgeThread = new Thread(() -> surge(counts, surge), "qp-scenario-surge");
                surgeThread.setDaemon(true);
                surgeThread.start();
            }
            pace(step, conns, counts);
        } finally {
            if (surgeThread != null) {
                surgeThread.join(stopped ? 1 : 120_000); // the surge phase lasts until every surge connection was tried
                surgeThread.interrupt();
                surgeThread.join(30_000);
            }
            upstream.setAll(config.gateways().keySet(), SlowUpstream.Behaviour.FAST);
            drain(conns);
            conns.values().forEach(l -> l.forEach(ScenarioConnection::close));
            synchronized (surge) {
                surge.forEach(ScenarioConnection::close);
            }
        }
        return counts.snapshot();
    }

    private static boolean await(ScenarioConnection c) throws InterruptedException {
        try {
            return c.admitted().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    private void pace(ScenarioScript.Step step, Map<String, List<ScenarioConnection>> conns, PhaseCounts counts)
            throws InterruptedException {
        long end = System.nanoTime() + step.duration().toNanos();
        double perTick = config.opsPerSecond() * TICK_MILLIS / 1000.0;
        Map<String, Double> credit = new LinkedHashMap<>();
        Map<String, Integer> next = new LinkedHashMap<>();
        while (!stopped && System.nanoTime() < end) {
            for (Map.Entry<String, List<ScenarioConnection>> g : conns.entrySet()) {
                double c = credit.getOrDefault(g.getKey(), 0.0) + perTick;
                List<ScenarioConnection> list = g.getValue();
                while (c >= 1) {
                    c -= 1;
                    ScenarioConnection target = null;
                    int start = next.getOrDefault(g.getKey(), 0);
                    for (int k = 0; k < list.size() && target == null; k++) {
                        ScenarioConnection cand = list.get((start + k) % list.size());
                        if (cand.isOpen() && cand.inFlight() < config.maxInFlight()) {
                            target = cand;
                            next.put(g.getKey(), (start + k + 1) % list.size());
                        }
                    }
                    if (target == null) {
                        counts.skipped();
                        continue;
                    }
                    send(target, mix.pick(trafficFor(step.phase(), g.getKey()), random));
                }
                credit.put(g.getKey(), c);
            }
            Thread.sleep(TICK_MILLIS);
        }
    }

    /**
     * The traffic a gateway gets in a phase. With more than one gateway, the compressible phase goes to every gateway
     * but the last (the bulky node), so that its compression is still off when the bulky phase begins, and the bulky
     * phase goes to the bulky node only, the others getting normal traffic meanwhile.
     */
    Phase trafficFor(Phase phase, String node) {
        if (config.gateways().size() == 1) {
            return phase;
        }
        boolean bulkyNode = node.equals(config.bulkyNode());
        if (phase == Phase.COMPRESSIBLE && bulkyNode || phase == Phase.BULKY && !bulkyNode) {
            return Phase.NORMAL;
        }
        return phase;
    }

    private void send(ScenarioConnection c, TrafficMix.Kind kind) {
        try {
            switch (kind) {
                case ECHO -> c.command(ids.getAndIncrement(), "echo", mix.smallArgs(random));
                case PING -> c.command(ids.getAndIncrement(), "ping", null);
                case DATA -> c.data(mix.smallData(random));
                case STREAM -> c.command(ids.getAndIncrement(), "stream", QpJson.object().put("count", 4).put("size", 512));
                case ROUTED -> c.command(ids.getAndIncrement(), config.routeOp(), QpJson.object().put("key", random.nextInt(1000)));
                case ECHO_LARGE -> c.command(ids.getAndIncrement(), "echo", mix.largeArgs(random));
                case DATA_LARGE -> c.data(mix.largeData(random));
                case ECHO_BULKY -> c.command(ids.getAndIncrement(), "echo", mix.bulkyArgs(random));
                case ECHO_MEDIUM -> c.command(ids.getAndIncrement(), "echo", mix.mediumArgs(random));
            }
        } catch (RuntimeException e) {
            // the connection closed under us (the gateway refused or dropped it): counted by its close
        }
    }

    /** Opens the surge connections one after another and holds those the gateway admits until the phase ends. */
    private void surge(PhaseCounts counts, List<ScenarioConnection> held) {
        URI uri = config.gateways().get(config.surgeNode());
        int admitted = 0;
        long lastKeepAlive = System.nanoTime();
        for (int i = 0; i < config.surgeConnections() && !Thread.currentThread().isInterrupted() && !stopped; i++) {
            if (System.nanoTime() - lastKeepAlive > KEEPALIVE_NANOS) {
                keepAlive(held); // on a slow machine the surge takes long: held connections must not go silent
                lastKeepAlive = System.nanoTime();
            }
            try {
                ScenarioConnection c = ScenarioConnection.open(uri, counts, config.token());
                synchronized (held) {
                    held.add(c);
                }
                if (await(c)) {
                    admitted++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                listener.note("surge: connection " + (i + 1) + " failed: " + e.getMessage());
            }
        }
        listener.note(String.format("surge on %s: %d connections opened, %d admitted, %d refused (OVERLOADED)",
                config.surgeNode(), config.surgeConnections(), admitted, counts.snapshotOverloaded()));
    }

    private static void keepAlive(List<ScenarioConnection> held) {
        List<ScenarioConnection> copy;
        synchronized (held) {
            copy = List.copyOf(held);
        }
        for (ScenarioConnection c : copy) {
            if (c.isOpen() && c.admitted().getNow(false)) {
                try {
                    c.heartbeat();
                } catch (RuntimeException e) {
                    // closed meanwhile: counted by its close
                }
            }
        }
    }

    private void drain(Map<String, List<ScenarioConnection>> conns) throws InterruptedException {
        long deadline = System.currentTimeMillis() + DRAIN_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            int left = 0;
            for (List<ScenarioConnection> l : conns.values()) {
                for (ScenarioConnection c : l) {
                    left += c.isOpen() ? c.inFlight() : 0;
                }
            }
            if (left == 0) {
                return;
            }
            Thread.sleep(10);
        }
    }
}
