package qp.protocol.analytics;

/**
 * A proposed change of one tunable parameter of one node: the record of topic {@code qp.recommendations},
 * keyed by node/parameter.
 *
 * @param id                  unique and stable for the same proposal: {@link #idFor} of node, parameter, current and
 *                            proposed value, parameter version, source and rule/model name; the agent dedupes on it
 * @param nodeId              the gateway node
 * @param parameter           the parameter's wire name ({@code compression_threshold} ...), see TunableParameter
 * @param currentValue        the value in force when it was proposed (from the node's metrics); 0 = off where allowed
 * @param proposedValue       the proposed value, inside the parameter's range
 * @param confidence          0..1
 * @param expectedImprovement expected relative improvement of the targeted metric, 0..1 (e.g. 0.3 = 30% fewer bytes)
 * @param targetMetric        what should improve: {@code bytes}, {@code latency_p95}, {@code frames}, {@code errors},
 *                            {@code heartbeat_timeouts}
 * @param source              {@code rules} or {@code model}
 * @param modelVersion        the model's version when source is model; {@code rules-v1} style for rule sets
 * @param ruleOrModel         the rule's or model's name (e.g. {@code compress-large-payloads})
 * @param evidence            a sentence a person can read with the numbers that led to it
 * @param paramVersion        the node's parameter version it was computed against (from {@code qp.node-metrics});
 *                            the agent rejects it as {@code stale} when the gateway's version has moved on
 * @param createdAtMillis     event time it was made (the end of the window that triggered it)
 */
public record Recommendation(
        String id,
        String nodeId,
        String parameter,
        long currentValue,
        long proposedValue,
        double confidence,
        double expectedImprovement,
        String targetMetric,
        String source,
        String modelVersion,
        String ruleOrModel,
        String evidence,
        long paramVersion,
        long createdAtMillis) {

    public static final String SOURCE_RULES = "rules";
    public static final String SOURCE_MODEL = "model";
    /**
     * The agent's own: a small randomized experiment at a neighbouring value, so that the models' data varies the
     * parameter at random (no confidence or expected improvement: it asks, it does not claim).
     */
    public static final String SOURCE_EXPLORATION = "exploration";

    /**
     * The id of a proposal: the same node, parameter, values, parameter version, source and rule or model give the
     * same id, so a proposal repeated in later windows is recognised as one.
     */
    public static String idFor(String nodeId, String parameter, long currentValue, long proposedValue,
            long paramVersion, String source, String ruleOrModel) {
        String key = String.join("|", nodeId, parameter, Long.toString(currentValue), Long.toString(proposedValue),
                Long.toString(paramVersion), source, ruleOrModel);
        java.util.UUID uuid = java.util.UUID.nameUUIDFromBytes(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return source + "-" + uuid.toString().substring(0, 18);
    }
}
