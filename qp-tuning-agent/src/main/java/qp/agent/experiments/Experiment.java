package qp.agent.experiments;

import qp.protocol.experiments.ArmMetric;
import qp.protocol.experiments.Assignment;
import qp.protocol.experiments.ExperimentGoal;
import qp.protocol.experiments.ExperimentSpec;
import qp.protocol.params.TunableParameter;

/**
 * One experiment the agent runs: a row of {@code experiments}. Its status changes only through {@link #moveTo}; the
 * verdict and its figures are set once, by {@link #decided}.
 */
public final class Experiment {
    private final String id;
    private final String recommendationId;
    private final String nodeId;
    private final String parameter;
    private final long control;
    private final long treatment;
    private final Assignment assignment;
    private final long blockMillis;
    private final ArmMetric targetMetric;
    private final long createdAtMs;
    private double share;
    private ExperimentStatus status;
    private Long baseParamVersion;
    private Long gatewayStartedMs;
    private Long startedAtMs;
    private Long rampedAtMs;
    private long judgedUntilMs;
    private Long endedAtMs;
    private Estimate estimate;
    private ExperimentVerdict verdict;
    private String sentence;
    private String profileJson;
    private long updatedAtMs;

    public Experiment(String id, String recommendationId, String nodeId, String parameter, long control, long treatment,
            Assignment assignment, double share, long blockMillis, ArmMetric targetMetric, ExperimentStatus status,
            long createdAtMs) {
        this.id = id;
        this.recommendationId = recommendationId;
        this.nodeId = nodeId;
        this.parameter = parameter;
        this.control = control;
        this.treatment = treatment;
        this.assignment = assignment;
        this.share = share;
        this.blockMillis = blockMillis;
        this.targetMetric = targetMetric;
        this.status = status;
        this.createdAtMs = createdAtMs;
        this.updatedAtMs = createdAtMs;
    }

    /** The one way the status changes. */
    public void moveTo(ExperimentStatus next, long nowMs) {
        if (!status.canMoveTo(next)) {
            throw new IllegalStateException("experiment " + id + ": no way from " + status.wire() + " to " + next.wire());
        }
        status = next;
        updatedAtMs = nowMs;
        switch (next) {
            case RUNNING -> startedAtMs = nowMs;
            case ENDED, FAILED -> endedAtMs = nowMs;
            default -> { }
        }
    }

    /** The verdict, with the estimate it rests on (null when there was none) and its sentence. */
    public void decided(ExperimentVerdict v, Estimate e, String why, long nowMs) {
        verdict = v;
        estimate = e;
        sentence = why;
        updatedAtMs = nowMs;
    }

    /** The latest estimate of a running experiment (for the dashboard), without a verdict. */
    public void observed(Estimate e, long judgedUntil, long nowMs) {
        estimate = e;
        judgedUntilMs = judgedUntil;
        updatedAtMs = nowMs;
    }

    public void ramped(double newShare, long nowMs) {
        share = newShare;
        rampedAtMs = nowMs;
        updatedAtMs = nowMs;
    }

    public void basedOn(long paramVersion, String profile) {
        baseParamVersion = paramVersion;
        profileJson = profile;
    }

    public void gatewayStarted(long millis) {
        gatewayStartedMs = millis;
    }

    /** What the gateway is asked to run. */
    public ExperimentSpec spec() {
        return new ExperimentSpec(id, parameter, control, treatment, share, assignment, blockMillis, 0);
    }

    public TunableParameter tunable() {
        return TunableParameter.byWireName(parameter);
    }

    /** What this experiment is judged on: its parameter's goal for this direction of change. */
    public ExperimentGoal goal() {
        return tunable().goalFor(control, treatment);
    }

    /** Sets the stored fields that are not constructor arguments (from the store). */
    public void restore(Long baseVersion, Long gatewayStarted, Long started, Long ramped, long judgedUntil,
            Long ended, Estimate e, ExperimentVerdict v, String why, String profile, long updated) {
        baseParamVersion = baseVersion;
        gatewayStartedMs = gatewayStarted;
        startedAtMs = started;
        rampedAtMs = ramped;
        judgedUntilMs = judgedUntil;
        endedAtMs = ended;
        estimate = e;
        verdict = v;
        sentence = why;
        profileJson = profile;
        updatedAtMs = updated;
    }

    public String id() { return id; }
    public String recommendationId() { return recommendationId; }

    /** An exploration's experiment (the agent's own small one at a neighbouring value): never ramped. */
    public boolean exploring() {
        return exploratory(recommendationId);
    }

    public static boolean exploratory(String recommendationId) {
        return recommendationId.startsWith(qp.protocol.analytics.Recommendation.SOURCE_EXPLORATION + "-");
    }
    public String nodeId() { return nodeId; }
    public String parameter() { return parameter; }
    public long control() { return control; }
    public long treatment() { return treatment; }
    public Assignment assignment() { return assignment; }
    public double share() { return share; }
    public long blockMillis() { return blockMillis; }
    public ArmMetric targetMetric() { return targetMetric; }
    public ExperimentStatus status() { return status; }
    public Long baseParamVersion() { return baseParamVersion; }
    public Long gatewayStartedMs() { return gatewayStartedMs; }
    public Long startedAtMs() { return startedAtMs; }
    public Long rampedAtMs() { return rampedAtMs; }
    public long judgedUntilMs() { return judgedUntilMs; }
    public Long endedAtMs() { return endedAtMs; }
    public Estimate estimate() { return estimate; }
    public ExperimentVerdict verdict() { return verdict; }
    public String sentence() { return sentence; }
    public String profileJson() { return profileJson; }
    public long createdAtMs() { return createdAtMs; }
    public long updatedAtMs() { return updatedAtMs; }

    /** Direction of the change: +1 up, -1 down ("off" counts as above every value: no threshold at all). */
    public int direction() {
        return direction(tunable(), control, treatment);
    }

    public static int direction(TunableParameter p, long from, long to) {
        return Long.compare(ordered(p, to), ordered(p, from));
    }

    private static long ordered(TunableParameter p, long v) {
        return p != null && p.allowsOff() && v == qp.protocol.params.TunableParams.OFF ? Long.MAX_VALUE : v;
    }
}
