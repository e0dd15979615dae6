package qp.gateway.session;

import java.time.Clock;
import java.util.function.BooleanSupplier;
import qp.gateway.commands.CommandRegistry;
import qp.gateway.events.EventEmitter;
import qp.gateway.metrics.GatewayMetrics;
import qp.gateway.params.ParamsHolder;

/**
 * What every session of a gateway shares.
 *
 * @param accepting false once shutdown began: new connections get SHUTTING_DOWN
 * @param clock     the sessions' time: frame stamps, latencies, heartbeats
 * @param timers    where the heartbeat and close grace timers run
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
        Clock clock,
        SessionTimers timers) {
}
