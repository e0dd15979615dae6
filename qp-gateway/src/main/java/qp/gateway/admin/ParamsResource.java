package qp.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.undertow.util.Headers;
import qp.gateway.params.ParamsHolder;
import qp.gateway.params.PersistedParams;
import qp.gateway.params.ParamsUpdate;
import qp.protocol.json.QpJson;
import qp.protocol.params.TunableParameter;
import qp.protocol.params.TunableParams;

/**
 * {@code GET /params}: {@code {"version": 3, "instanceId": "..", "params": {"buffer_size": 8192, ...,
 * "compression_threshold": "off"}}} with {@code ETag: "3"}.
 * {@code PUT /params}: a partial update {@code {"heartbeat_interval": 20000}}, applied whole or rejected whole
 * (400 {@code {"error": "BAD_PARAM", "field": .., "message": ..}}); answers like GET. With {@code If-Match: "3"} it is
 * applied only while the version is still 3, else 412 {@code {"error": "VERSION_MOVED", "version": 4}} and nothing
 * changes. An accepted change is persisted (when the gateway has a state dir) so that it survives a restart. While an
 * experiment runs, GET shows it ({@code "experiment": {...}}) and a PUT that would move its parameter is refused
 * (409 {@code EXPERIMENT_RUNNING}): the control arm is the node's value.
 */
public final class ParamsResource {
    private static final Logger LOG = LoggerFactory.getLogger(ParamsResource.class);
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private final ParamsHolder params;
    private final String instanceId;
    private final PersistedParams persisted;

    public ParamsResource(ParamsHolder params) {
        this(params, null, null);
    }

    /** {@code persisted} null: changes last until the process ends. */
    public ParamsResource(ParamsHolder params, String instanceId, PersistedParams persisted) {
        this.params = params;
        this.instanceId = instanceId;
        this.persisted = persisted;
    }

    void get(HttpServerExchange ex) {
        respond(ex, params.current());
    }

    private void respond(HttpServerExchange ex, ParamsHolder.Versioned v) {
        ex.getResponseHeaders().put(Headers.ETAG, IfMatch.etag(v.version()));
        AdminApi.json(ex, 200, render(v, instanceId));
    }

    void put(HttpServerExchange ex) {
        AdminApi.receiveJson(ex, MAX_BODY_BYTES, "a params update", (e, json) -> {
            Map<TunableParameter, Long> changes;
            try {
                changes = ParamsUpdate.parse(json);
            } catch (ParamsUpdate.Rejected r) {
                ObjectNode err = QpJson.object().put("error", "BAD_PARAM").put("field", r.field()).put("message", r.getMessage());
                AdminApi.json(e, 400, QpJson.string(err));
                return;
            }
            long expected = IfMatch.of(e);
            if (expected == IfMatch.MALFORMED) {
                return;
            }
            ParamsHolder.Versioned after;
            try {
                after = applyAndPersist(changes, expected);
            } catch (ParamsHolder.UnderExperiment u) {
                ObjectNode err = QpJson.object().put("error", "EXPERIMENT_RUNNING").put("id", u.experiment().id())
                        .put("field", u.experiment().parameter()).put("message", u.getMessage());
                AdminApi.json(e, 409, QpJson.string(err));
                return;
            }
            if (after == null) {
                IfMatch.versionMoved(e, params.version(), expected);
                return;
            }
            respond(e, after);
        });
    }

    /** Null when the version moved. */
    private ParamsHolder.Versioned applyAndPersist(Map<TunableParameter, Long> changes, long expected) {
        synchronized (params) { // the holder's own lock: changes reach the state file in the order they happened
            ParamsHolder.Versioned before = params.current();
            ParamsHolder.Versioned after = params.applyIfVersion(changes, expected);
            if (after != null && after != before) {
                LOG.info("params v{} -> v{}: {}", before.version(), after.version(), describe(changes));
                persist(changes, after);
            }
            return after;
        }
    }

    private void persist(Map<TunableParameter, Long> changes, ParamsHolder.Versioned after) {
        if (persisted == null) {
            return;
        }
        try {
            persisted.save(changes, after.version());
        } catch (IOException io) {
            // the change is in force; only its survival of a restart is lost, and the log says so
            LOG.error("params v{} are in force but could not be persisted: {}", after.version(), io.getMessage());
        }
    }

    static String render(ParamsHolder.Versioned v) {
        return render(v, null);
    }

    static String render(ParamsHolder.Versioned v, String instanceId) {
        return QpJson.string(renderNode(v, instanceId));
    }

    /** The node's own values (under an experiment: the control's), and the experiment when one runs. */
    static ObjectNode renderNode(ParamsHolder.Versioned v, String instanceId) {
        ObjectNode values = QpJson.object();
        TunableParams p = v.params();
        for (TunableParameter t : TunableParameter.values()) {
            long value = p.get(t);
            if (t.allowsOff() && value == TunableParams.OFF) {
                values.put(t.wireName(), "off");
            } else {
                values.put(t.wireName(), value);
            }
        }
        ObjectNode out = QpJson.object().put("version", v.version());
        if (instanceId != null) {
            out.put("instanceId", instanceId);
        }
        out.set("params", values);
        if (v.experiment() != null) {
            out.set("experiment", ExperimentJson.spec(v.experiment()));
        }
        return out;
    }

    private static String describe(Map<TunableParameter, Long> changes) {
        StringBuilder sb = new StringBuilder();
        changes.forEach((p, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(p.wireName()).append('=')
                .append(p.allowsOff() && v == TunableParams.OFF ? "off" : v));
        return sb.toString();
    }
}
