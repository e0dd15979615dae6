package qp.protocol.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import qp.protocol.params.TunableParams;

/**
 * A per-second sample of one gateway node: the record of topic {@code qp.node-metrics}, keyed by node id.
 *
 * @param framesInPerSec       frames received in the last interval, per second
 * @param framesOutPerSec      frames sent in the last interval, per second
 * @param bytesInPerSec        wire bytes received per second
 * @param bytesOutPerSec       wire bytes sent per second
 * @param processCpuLoad       the gateway process's CPU load, 0..1 of the whole machine (-1 when unknown)
 * @param heapUsedBytes        JVM heap in use
 * @param heapMaxBytes         JVM heap limit
 * @param connections          open WebSocket connections
 * @param heartbeatTimeouts    sessions closed for silence during the interval
 * @param heartbeatTimeoutsTotal sessions closed for silence since start
 * @param paramVersion         version of the parameters in force
 * @param params               the parameters in force
 * @param instanceId           the gateway process's instance id, new at each start (so a restart shows); null from
 *                             gateways before it was added
 * @param advertisedAdminUrl   the node's admin API as it advertises it ({@code --advertised-admin-url}), for display
 *                             and discovery; null when not set
 * @param experimentId         the experiment running on the node, else null
 * @param arm                  under a switchback experiment, the arm the whole node is in for this sample; null for a
 *                             session-level experiment (each session has its own) or none
 * @param experimentParameter the running experiment's parameter (wire name), else null and absent in JSON
 * @param controlValue        the value its control arm runs with (the one in {@code params}), else null and absent
 * @param treatmentValue      the value its treatment arm runs with, else null and absent: a frame whose arm is
 *                            treatment ran with it, not with the value in {@code params}
 */
public record NodeMetrics(
        String nodeId,
        long timestampMillis,
        double framesInPerSec,
        double framesOutPerSec,
        double bytesInPerSec,
        double bytesOutPerSec,
        double processCpuLoad,
        long heapUsedBytes,
        long heapMaxBytes,
        int connections,
        long heartbeatTimeouts,
        long heartbeatTimeoutsTotal,
        long paramVersion,
        TunableParams params,
        String instanceId,
        String advertisedAdminUrl,
        String experimentId,
        String arm,
        @JsonInclude(JsonInclude.Include.NON_NULL) String experimentParameter,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long controlValue,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long treatmentValue) {

    /** A sample with no experiment running. */
    public NodeMetrics(String nodeId, long timestampMillis, double framesInPerSec, double framesOutPerSec,
            double bytesInPerSec, double bytesOutPerSec, double processCpuLoad, long heapUsedBytes, long heapMaxBytes,
            int connections, long heartbeatTimeouts, long heartbeatTimeoutsTotal, long paramVersion,
            TunableParams params, String instanceId, String advertisedAdminUrl) {
        this(nodeId, timestampMillis, framesInPerSec, framesOutPerSec, bytesInPerSec, bytesOutPerSec, processCpuLoad,
                heapUsedBytes, heapMaxBytes, connections, heartbeatTimeouts, heartbeatTimeoutsTotal, paramVersion,
                params, instanceId, advertisedAdminUrl, null, null, null, null, null);
    }

    /** A sample without instance id and advertised URL (as older gateways sent them). */
    public NodeMetrics(String nodeId, long timestampMillis, double framesInPerSec, double framesOutPerSec,
            double bytesInPerSec, double bytesOutPerSec, double processCpuLoad, long heapUsedBytes, long heapMaxBytes,
            int connections, long heartbeatTimeouts, long heartbeatTimeoutsTotal, long paramVersion,
            TunableParams params) {
        this(nodeId, timestampMillis, framesInPerSec, framesOutPerSec, bytesInPerSec, bytesOutPerSec, processCpuLoad,
                heapUsedBytes, heapMaxBytes, connections, heartbeatTimeouts, heartbeatTimeoutsTotal, paramVersion,
                params, null, null, null, null, null, null, null);
    }
}
