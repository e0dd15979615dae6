package qp.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.time.Clock;
import java.util.Deque;
import qp.gateway.experiments.ExperimentRefused;
import qp.gateway.experiments.ExperimentRequest;
import qp.gateway.experiments.Experiments;
import qp.gateway.params.ParamsHolder;
import qp.protocol.experiments.Arm;
import qp.protocol.experiments.ExperimentSpec;
import qp.protocol.json.QpJson;

/**
 * {@code /experiment}: the node's one randomized experiment.
 * <ul>
 * <li>{@code POST} starts one ({@link ExperimentRequest}): 201 {@code {"experiment": {...}, "version": N}}</li>
 * <li>{@code GET}: 200 the same, with the open sessions per arm (and under switchback the arm and block in force);
 *     404 {@code NO_EXPERIMENT} when none runs. Both show the last one that ended, when there is one.</li>
 * <li>{@code PUT {"treatmentShare": x}} ramps a session experiment</li>
 * <li>{@code DELETE ?outcome=control|adopt[&id=X]} ends it: 200 with the params after it</li>
 * </ul>
 * Every change takes If-Match on the params version, like {@code PUT /params}, and bumps it.
 */
public final class ExperimentResource {
    private static final int MAX_BODY_BYTES = 64 * 1024;

    /** Open sessions of the node in an arm of an experiment at a moment. */
    @FunctionalInterface
    public interface SessionsInArm {
        int count(ExperimentSpec e, Arm arm, long nowMillis);
    }

    private final Experiments experiments;
    private final ParamsHolder params;
    private final SessionsInArm sessions;
    private final Clock clock;
    private final String instanceId;

    /** {@code clock}: the gateway's clock, the one its experiments start and switch blocks by. */
    public ExperimentResource(Experiments experiments, ParamsHolder params, SessionsInArm sessions,
            Clock clock, String instanceId) {
        this.experiments = experiments;
        this.params = params;
        this.sessions = sessions;
        this.clock = clock;
        this.instanceId = instanceId;
    }

    void get(HttpServerExchange ex) {
        ParamsHolder.Versioned v = params.current();
        if (v.experiment() == null) {
            ObjectNode err = QpJson.object().put("error", "NO_EXPERIMENT")
                    .put("message", "no experiment runs on this node; POST /experiment starts one");
            withLastEnded(err);
            ex.getResponseHeaders().put(Headers.ETAG, IfMatch.etag(v.version()));
            AdminApi.json(ex, 404, QpJson.string(err));
            return;
        }
        respond(ex, 200, v);
    }

    void post(HttpServerExchange ex) {
        receive(ex, (e, json, expected) -> {
            ExperimentRequest request;
            try {
                request = ExperimentRequest.parse(json);
            } catch (ExperimentRequest.Rejected r) {
                AdminApi.json(e, 400, AdminApi.error("BAD_EXPERIMENT", r.getMessage()));
                return;
            }
            ParamsHolder.Change c = experiments.start(request, expected);
            respond(e, 201, c.after());
        });
    }

    void put(HttpServerExchange ex) {
        receive(ex, (e, json, expected) -> {
            double share;
            try {
                share = ExperimentRequest.rampShare(json);
            } catch (ExperimentRequest.Rejected r) {
                AdminApi.json(e, 400, AdminApi.error("BAD_EXPERIMENT", r.getMessage()));
                return;
            }
            respond(e, 200, experiments.ramp(share, expected).after());
        });
    }

    void delete(HttpServerExchange ex) {
        String outcomeName = query(ex, "outcome");
        Experiments.Outcome outcome = outcomeName == null ? Experiments.Outcome.CONTROL
                : Experiments.Outcome.ofWire(outcomeName);
        if (outcome == null) {
            AdminApi.json(ex, 400, AdminApi.error("BAD_OUTCOME", "outcome=" + outcomeName + ": use outcome=control "
                    + "(everyone back on the control value) or outcome=adopt (the treatment becomes the node's "
                    + "value)"));
            return;
        }
        long expected = IfMatch.of(ex);
        if (expected == IfMatch.MALFORMED) {
            return;
        }
        refusable(ex, expected, () -> {
            ParamsHolder.Change c = experiments.end(outcome, query(ex, "id"), expected);
            ObjectNode body = ParamsResource.renderNode(c.after(), instanceId);
            Experiments.Ended ended = experiments.lastEnded();
            if (ended != null) {
                body.set("ended", ExperimentJson.ended(ended));
            }
            ex.getResponseHeaders().put(Headers.ETAG, IfMatch.etag(c.after().version()));
            AdminApi.json(ex, 200, QpJson.string(body));
        });
    }

    private void respond(HttpServerExchange ex, int status, ParamsHolder.Versioned v) {
        long now = clock.millis();
        ExperimentSpec e = v.experiment();
        ObjectNode experiment = ExperimentJson.status(e, now);
        ObjectNode counts = experiment.putObject("sessions");
        for (Arm arm : Arm.values()) {
            counts.put(arm.wire(), sessions.count(e, arm, now));
        }
        ObjectNode body = QpJson.object();
        body.set("experiment", experiment);
        body.put("version", v.version());
        withLastEnded(body);
        ex.getResponseHeaders().put(Headers.ETAG, IfMatch.etag(v.version()));
        AdminApi.json(ex, status, QpJson.string(body));
    }

    private void withLastEnded(ObjectNode body) {
        Experiments.Ended ended = experiments.lastEnded();
        if (ended != null) {
            body.set("lastEnded", ExperimentJson.ended(ended));
        }
    }

    /** A body handler: the JSON and the If-Match version, both already read. */
    private interface JsonHandler {
        void handle(HttpServerExchange ex, JsonNode json, long expectedVersion);
    }

    private void receive(HttpServerExchange ex, JsonHandler handler) {
        AdminApi.receiveJson(ex, MAX_BODY_BYTES, "an experiment request", (e, json) -> {
            long expected = IfMatch.of(e);
            if (expected == IfMatch.MALFORMED) {
                return;
            }
            refusable(e, expected, () -> handler.handle(e, json, expected));
        });
    }

    /** Runs {@code action}; a refusal becomes its answer (412 with the ETag of the version in force). */
    private static void refusable(HttpServerExchange ex, long expected, Runnable action) {
        try {
            action.run();
        } catch (ExperimentRefused r) {
            if (r.status() == 412) {
                IfMatch.versionMoved(ex, r.version(), expected);
                return;
            }
            ObjectNode err = QpJson.object().put("error", r.code()).put("message", r.getMessage());
            if (r.experimentId() != null) {
                err.put("id", r.experimentId());
            }
            err.put("version", r.version());
            AdminApi.json(ex, r.status(), QpJson.string(err));
        }
    }

    private static String query(HttpServerExchange ex, String name) {
        Deque<String> values = ex.getQueryParameters().get(name);
        return values == null || values.isEmpty() || values.peekFirst().isEmpty() ? null : values.peekFirst();
    }
}
