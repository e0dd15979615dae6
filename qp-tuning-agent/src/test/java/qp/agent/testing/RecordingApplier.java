package qp.agent.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import qp.agent.gateway.Applier;
import qp.agent.gateway.GatewayException;
import qp.agent.gateway.GatewayParams;
import qp.protocol.experiments.ExperimentSpec;

/**
 * The real applier with a record of every call, and a crash on demand: {@link Crash#BEFORE_PUT} dies before the PUT
 * leaves, {@link Crash#AFTER_PUT} after the gateway answered it (before the agent could record it).
 */
public final class RecordingApplier implements Applier {
    public enum Crash { NONE, BEFORE_PUT, AFTER_PUT }

    /** What a process crash looks like to the loop: nothing after it runs. */
    public static final class SimulatedCrash extends RuntimeException {
        public SimulatedCrash(String where) {
            super("simulated crash " + where);
        }
    }

    /** Something another actor does to the gateway right before the agent's next POST /experiment leaves. */
    @FunctionalInterface
    public interface Meanwhile {
        void run() throws Exception;
    }

    private final Applier real;
    private volatile Crash crash = Crash.NONE;
    private volatile Meanwhile beforeNextPost;
    private volatile boolean postsAnswer412;
    public final List<String> calls = new CopyOnWriteArrayList<>();

    public RecordingApplier(Applier real) {
        this.real = real;
    }

    public RecordingApplier crash(Crash c) {
        crash = c;
        return this;
    }

    /** Runs {@code m} once, just before the next POST /experiment (the race a lock cannot close: read, then POST). */
    /** Every POST /experiment answers 412 without reaching the gateway (a gateway at odds with its own GET). */
    public RecordingApplier postsAnswer412() {
        postsAnswer412 = true;
        return this;
    }

    public RecordingApplier beforeNextPost(Meanwhile m) {
        beforeNextPost = m;
        return this;
    }

    public long puts() {
        return calls.stream().filter(c -> c.startsWith("PUT")).count();
    }

    @Override
    public State readExperiment(String nodeId) throws GatewayException {
        calls.add("GET /experiment " + nodeId);
        return real.readExperiment(nodeId);
    }

    @Override
    public State startExperiment(String nodeId, ExperimentSpec spec, long ifMatchVersion) throws GatewayException {
        if (crash == Crash.BEFORE_PUT) {
            throw new SimulatedCrash("before the POST");
        }
        Meanwhile m = beforeNextPost;
        beforeNextPost = null;
        if (m != null) {
            try {
                m.run();
            } catch (Exception e) {
                throw new IllegalStateException("the test's own change before the POST failed", e);
            }
        }
        calls.add("POST /experiment " + nodeId + " " + spec.id() + " " + spec.parameter() + "=" + spec.treatment()
                + " if-match " + ifMatchVersion);
        State s;
        try {
            if (postsAnswer412) {
                throw new GatewayException(GatewayException.Kind.VERSION_MOVED, "412 (the test's)");
            }
            s = real.startExperiment(nodeId, spec, ifMatchVersion);
        } catch (GatewayException e) {
            calls.add("  answered " + e.kind());
            throw e;
        }
        if (crash == Crash.AFTER_PUT) {
            throw new SimulatedCrash("after the POST");
        }
        return s;
    }

    @Override
    public State rampExperiment(String nodeId, String id, double share) throws GatewayException {
        calls.add("PUT /experiment " + nodeId + " " + id + " share " + share);
        return real.rampExperiment(nodeId, id, share);
    }

    @Override
    public State endExperiment(String nodeId, String id, boolean adopt) throws GatewayException {
        calls.add("DELETE /experiment " + nodeId + " " + id + (adopt ? " adopt" : " control"));
        return real.endExperiment(nodeId, id, adopt);
    }

    /** Requests that start an experiment (what "applying" a change means now). */
    public long starts() {
        return calls.stream().filter(c -> c.startsWith("POST /experiment")).count();
    }

    @Override
    public GatewayParams read(String nodeId) throws GatewayException {
        calls.add("GET " + nodeId);
        return real.read(nodeId);
    }

    @Override
    public GatewayParams put(String nodeId, String parameter, long value, long ifMatchVersion) throws GatewayException {
        if (crash == Crash.BEFORE_PUT) {
            throw new SimulatedCrash("before the PUT");
        }
        calls.add("PUT " + nodeId + " " + parameter + "=" + value + " if-match " + ifMatchVersion);
        GatewayParams p = real.put(nodeId, parameter, value, ifMatchVersion);
        if (crash == Crash.AFTER_PUT) {
            throw new SimulatedCrash("after the PUT");
        }
        return p;
    }
}
