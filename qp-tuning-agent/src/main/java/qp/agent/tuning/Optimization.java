package qp.agent.tuning;

import qp.protocol.analytics.Recommendation;

/**
 * One row of {@code optimizations}: a recommendation and what became of it. Status changes go through
 * {@link #moveTo}, which refuses a transition {@link Status} does not allow and stamps the time of the step.
 */
public final class Optimization {
    private final long id;
    private final Recommendation recommendation;
    private final long seenAtMs;
    private Status status;
    private Gate gate;
    private String reason;
    private String actor;
    private Double beforeMetric;
    private Double afterMetric;
    private Double observedImprovement;
    private Long appliedParamVersion;
    private Long previousValue;
    private Long baseParamVersion;
    private String gatewayInstanceId;
    private int attempts;
    private Long decidedAtMs;
    private Long applyingAtMs;
    private Long appliedAtMs;
    private Long verifiedAtMs;
    private Long rolledBackAtMs;
    private Long failedAtMs;
    private long updatedAtMs;

    public Optimization(long id, Recommendation recommendation, Status status, long seenAtMs) {
        this.id = id;
        this.recommendation = recommendation;
        this.status = status;
        this.seenAtMs = seenAtMs;
        this.updatedAtMs = seenAtMs;
    }

    /** Moves to {@code next} with the sentence that says why; refuses what {@link Status#canMoveTo} refuses. */
    public void moveTo(Status next, String why, String by, long nowMs) {
        if (!status.canMoveTo(next)) {
            throw new IllegalStateException("optimization " + recommendation.id() + " cannot go from " + status.wire()
                    + " to " + next.wire());
        }
        status = next;
        reason = why;
        actor = by;
        attempts = 0;
        updatedAtMs = nowMs;
        switch (next) {
            case ADVISED, DRY_RUN, REJECTED -> decidedAtMs = nowMs;
            case APPLYING -> {
                applyingAtMs = nowMs;
                if (decidedAtMs == null) {
                    decidedAtMs = nowMs;
                }
            }
            case APPLIED -> appliedAtMs = nowMs;
            case VERIFIED -> verifiedAtMs = nowMs;
            case ROLLED_BACK -> rolledBackAtMs = nowMs;
            case FAILED -> failedAtMs = nowMs;
            case PENDING -> { }
        }
    }

    public void reject(Gate g, String why, String by, long nowMs) {
        moveTo(Status.REJECTED, why, by, nowMs);
        gate = g;
    }

    /** Records the measured effect (before rolling back or keeping it). */
    public void measured(double before, double after, double observed) {
        beforeMetric = before;
        afterMetric = after;
        observedImprovement = observed;
    }

    public void intent(long previous, long baseVersion, String instanceId) {
        previousValue = previous;
        baseParamVersion = baseVersion;
        gatewayInstanceId = instanceId;
    }

    public void confirmedAt(long version, String instanceId) {
        appliedParamVersion = version;
        if (instanceId != null) {
            gatewayInstanceId = instanceId;
        }
    }

    /** One more attempt that could not reach the gateway; the status stays. */
    public void attemptFailed(String why, long nowMs) {
        attempts++;
        reason = why;
        updatedAtMs = nowMs;
    }

    public long id() { return id; }
    public Recommendation recommendation() { return recommendation; }
    public String recommendationId() { return recommendation.id(); }
    public String nodeId() { return recommendation.nodeId(); }
    public String parameter() { return recommendation.parameter(); }
    public Status status() { return status; }
    public Gate gate() { return gate; }
    public String reason() { return reason; }
    public String actor() { return actor; }
    public Double beforeMetric() { return beforeMetric; }
    public Double afterMetric() { return afterMetric; }
    public Double observedImprovement() { return observedImprovement; }
    public Long appliedParamVersion() { return appliedParamVersion; }
    public Long previousValue() { return previousValue; }
    public Long baseParamVersion() { return baseParamVersion; }
    public String gatewayInstanceId() { return gatewayInstanceId; }
    public int attempts() { return attempts; }
    public long seenAtMs() { return seenAtMs; }
    public Long decidedAtMs() { return decidedAtMs; }
    public Long applyingAtMs() { return applyingAtMs; }
    public Long appliedAtMs() { return appliedAtMs; }
    public Long verifiedAtMs() { return verifiedAtMs; }
    public Long rolledBackAtMs() { return rolledBackAtMs; }
    public Long failedAtMs() { return failedAtMs; }
    public long updatedAtMs() { return updatedAtMs; }

    /** For the store's reader: the columns as they were saved. */
    public void restore(Gate g, String why, String by, Double before, Double after, Double observed, Long appliedVersion,
            Long previous, Long baseVersion, String instanceId, int tries, Long decided, Long applying, Long applied,
            Long verified, Long rolledBack, Long failed, long updated) {
        gate = g;
        reason = why;
        actor = by;
        beforeMetric = before;
        afterMetric = after;
        observedImprovement = observed;
        appliedParamVersion = appliedVersion;
        previousValue = previous;
        baseParamVersion = baseVersion;
        gatewayInstanceId = instanceId;
        attempts = tries;
        decidedAtMs = decided;
        applyingAtMs = applying;
        appliedAtMs = applied;
        verifiedAtMs = verified;
        rolledBackAtMs = rolledBack;
        failedAtMs = failed;
        updatedAtMs = updated;
    }
}
