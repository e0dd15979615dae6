package qp.gateway.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpServerExchange;
import java.util.function.BooleanSupplier;
import qp.gateway.events.EmitterStats;
import qp.gateway.events.EventEmitter;
import qp.protocol.json.QpJson;

/**
 * Liveness: the process answers. Readiness: the gateway accepts connections and its emitter is not failing
 * (it has not dropped events recently; Kafka being away while the spool keeps events is not a failure).
 */
public final class HealthResource {
    private final BooleanSupplier accepting;
    private final BooleanSupplier emitterFailing;
    private final EventEmitter emitter;
    private final String instanceId;

    public HealthResource(BooleanSupplier accepting, BooleanSupplier emitterFailing, EventEmitter emitter) {
        this(accepting, emitterFailing, emitter, null);
    }

    /** {@code instanceId}: this process's id, shown in readiness so that a restart is visible. */
    public HealthResource(BooleanSupplier accepting, BooleanSupplier emitterFailing, EventEmitter emitter,
            String instanceId) {
        this.accepting = accepting;
        this.emitterFailing = emitterFailing;
        this.emitter = emitter;
        this.instanceId = instanceId;
    }

    void live(HttpServerExchange ex) {
        AdminApi.json(ex, 200, "{\"status\":\"live\"}");
    }

    void ready(HttpServerExchange ex) {
        boolean accepts = accepting.getAsBoolean();
        boolean failing = emitterFailing.getAsBoolean();
        EmitterStats stats = emitter.stats();
        ObjectNode body = QpJson.object()
                .put("status", accepts && !failing ? "ready" : "not ready")
                .put("accepting", accepts)
                .put("emitterFailing", failing)
                .put("kafkaUp", stats.kafkaUp())
                .put("queueDepth", stats.queueDepth())
                .put("spooled", stats.spooled())
                .put("dropped", stats.dropped());
        if (instanceId != null) {
            body.put("instanceId", instanceId);
        }
        AdminApi.json(ex, accepts && !failing ? 200 : 503, QpJson.string(body));
    }
}
