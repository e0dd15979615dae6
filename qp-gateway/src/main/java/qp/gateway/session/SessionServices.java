package qp.gateway.session;

import java.util.function.BooleanSupplier;
import qp.gateway.commands.CommandRegistry;
import qp.gateway.events.EventEmitter;
import qp.gateway.metrics.GatewayMetrics;
import qp.gateway.params.ParamsHolder;

/**
 * What every session of a gateway shares.
 *
 * @param accepting false once shutdown began: new connections get SHUTTING_DOWN
 * @param clock     the sessions' time: frame stamps, heartbeats, close grace periods
 */
public record SessionServices(
        String nodeId,
        byte[] clientToken,
        boolean authRequired,
        ParamsHolder params,
        GatewayMetrics metrics,
        EventEmitter emitter,
        CommandRegistry commands,
        SessionRegistry sessions,
        BooleanSupplier accepting,
        SessionClock clock) {
}
