package qp.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qp.gateway.params.ParamsHolder;
import qp.gateway.params.ParamsUpdate;
import qp.protocol.json.QpJson;
import qp.protocol.params.TunableParameter;
import qp.protocol.params.TunableParams;

/**
 * {@code GET /params}: {@code {"version": 3, "params": {"buffer_size": 8192, ..., "compression_threshold": "off"}}}.
 * {@code PUT /params}: a partial update {@code {"heartbeat_interval": 20000}}, applied whole or rejected whole
 * (400 {@code {"error": "BAD_PARAM", "field": .., "message": ..}}); answers like GET.
 */
public final class ParamsResource {
    private static final Logger LOG = LoggerFactory.getLogger(ParamsResource.class);
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private final ParamsHolder params;

    public ParamsResource(ParamsHolder params) {
        this.params = params;
    }

    void get(HttpServerExchange ex) {
        AdminApi.json(ex, 200, render(params.current()));
    }

    void put(HttpServerExchange ex) {
        ex.getRequestReceiver().receiveFullBytes((e, body) -> {
            if (body.length > MAX_BODY_BYTES) {
                AdminApi.json(e, 413, AdminApi.error("TOO_LARGE", "a params update is a small JSON object"));
                return;
            }
            JsonNode json;
            try {
                json = QpJson.tree(body);
            } catch (IOException io) {
                AdminApi.json(e, 400, AdminApi.error("BAD_JSON", "the body is not JSON: " + io.getMessage()));
                return;
            }
            Map<TunableParameter, Long> changes;
            try {
                changes = ParamsUpdate.parse(json);
            } catch (ParamsUpdate.Rejected r) {
                ObjectNode err = QpJson.object().put("error", "BAD_PARAM").put("field", r.field()).put("message", r.getMessage());
                AdminApi.json(e, 400, QpJson.string(err));
                return;
            }
            ParamsHolder.Versioned before = params.current();
            ParamsHolder.Versioned after = params.apply(changes);
            if (after != before) {
                LOG.info("params v{} -> v{}: {}", before.version(), after.version(), describe(changes));
            }
            AdminApi.json(e, 200, render(after));
        }, (e, failure) -> AdminApi.json(e, 400, AdminApi.error("BAD_REQUEST", "could not read the body: " + failure)));
    }

    static String render(ParamsHolder.Versioned v) {
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
        out.set("params", values);
        return QpJson.string(out);
    }

    private static String describe(Map<TunableParameter, Long> changes) {
        StringBuilder sb = new StringBuilder();
        changes.forEach((p, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(p.wireName()).append('=')
                .append(p.allowsOff() && v == TunableParams.OFF ? "off" : v));
        return sb.toString();
    }
}
