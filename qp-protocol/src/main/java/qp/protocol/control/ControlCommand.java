package qp.protocol.control;

/**
 * A command to the stream job: the record of topic {@code qp.control}, e.g. {@code {"command":"retrain","nodeId":"edge-1"}}.
 * Written by the dashboard and the CLI, read by the job. Unknown commands are reported by the job, not obeyed.
 *
 * @param command           what to do: {@link #RETRAIN}
 * @param nodeId            the node it concerns, or null for every node
 * @param requestedBy       who asked (e.g. {@code dashboard}, {@code cli}), for the record; may be null
 * @param requestedAtMillis when it was asked; 0 when unknown
 */
public record ControlCommand(String command, String nodeId, String requestedBy, long requestedAtMillis) {

    public static final String RETRAIN = "retrain";

    public static ControlCommand retrain(String nodeId, String requestedBy, long nowMillis) {
        return new ControlCommand(RETRAIN, nodeId, requestedBy, nowMillis);
    }
}
