package qp.gateway.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import qp.protocol.json.QpJson;

/**
 * The admin HTTP API. {@code /params}, {@code /experiment} and {@code /metrics} need
 * {@code Authorization: Bearer <admin token>} (401 otherwise); {@code /health/live} and {@code /health/ready} are
 * open so that orchestrators can probe them.
 */
public final class AdminApi implements HttpHandler {
    private final byte[] expectedAuthorization;
    private final ParamsResource params;
    private final ExperimentResource experiment;
    private final HealthResource health;
    private final PrometheusMeterRegistry registry;

    public AdminApi(String adminToken, ParamsResource params, ExperimentResource experiment, HealthResource health,
            PrometheusMeterRegistry registry) {
        this.expectedAuthorization = ("Bearer " + adminToken).getBytes(StandardCharsets.UTF_8);
        this.params = params;
        this.experiment = experiment;
        this.health = health;
        this.registry = registry;
    }

    @Override
    public void handleRequest(HttpServerExchange ex) throws Exception {
        String path = ex.getRequestPath();
        switch (path) {
            case "/health/live" -> health.live(ex);
            case "/health/ready" -> health.ready(ex);
            case "/params" -> {
                if (authorized(ex)) {
                    if (Methods.GET.equals(ex.getRequestMethod())) {
                        params.get(ex);
                    } else if (Methods.PUT.equals(ex.getRequestMethod())) {
                        params.put(ex);
                    } else {
                        methodNotAllowed(ex, "GET, PUT");
                    }
                }
            }
            case "/experiment" -> {
                if (authorized(ex)) {
                    HttpString m = ex.getRequestMethod();
                    if (Methods.GET.equals(m)) {
                        experiment.get(ex);
                    } else if (Methods.POST.equals(m)) {
                        experiment.post(ex);
                    } else if (Methods.PUT.equals(m)) {
                        experiment.put(ex);
                    } else if (Methods.DELETE.equals(m)) {
                        experiment.delete(ex);
                    } else {
                        methodNotAllowed(ex, "GET, POST, PUT, DELETE");
                    }
                }
            }
            case "/metrics" -> {
                if (authorized(ex)) {
                    if (!Methods.GET.equals(ex.getRequestMethod())) {
                        methodNotAllowed(ex, "GET");
                    } else if (ex.isInIoThread()) {
                        ex.dispatch(this); // a scrape formats every meter: off the IO thread
                    } else {
                        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                        ex.getResponseSender().send(registry.scrape());
                    }
                }
            }
            default -> json(ex, 404, error("NOT_FOUND", "no " + path
                    + "; try /params, /experiment, /metrics, /health/live, /health/ready"));
        }
    }

    private boolean authorized(HttpServerExchange ex) {
        String auth = ex.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (auth != null && MessageDigest.isEqual(auth.getBytes(StandardCharsets.UTF_8), expectedAuthorization)) {
            return true;
        }
        ex.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer");
        json(ex, 401, error("UNAUTHORIZED", "send the admin token as \"Authorization: Bearer <token>\""));
        return false;
    }

    private static void methodNotAllowed(HttpServerExchange ex, String allowed) {
        ex.getResponseHeaders().put(Headers.ALLOW, allowed);
        json(ex, 405, error("METHOD_NOT_ALLOWED", ex.getRequestMethod() + " " + ex.getRequestPath() + ": use " + allowed));
    }

    /** What a JSON request body handler gets: the exchange to answer and the body, already parsed. */
    interface JsonBody {
        void handle(HttpServerExchange ex, JsonNode json);
    }

    /**
     * Reads a small JSON request body and hands it on; answers 413 past {@code maxBytes} ({@code what} names the body
     * in the message), 400 BAD_JSON when it is not JSON, 400 BAD_REQUEST when it could not be read.
     */
    static void receiveJson(HttpServerExchange ex, int maxBytes, String what, JsonBody handler) {
        ex.getRequestReceiver().receiveFullBytes((e, body) -> {
            if (body.length > maxBytes) {
                json(e, 413, error("TOO_LARGE", what + " is a small JSON object"));
                return;
            }
            JsonNode parsed;
            try {
                parsed = QpJson.tree(body);
            } catch (IOException io) {
                json(e, 400, error("BAD_JSON", "the body is not JSON: " + io.getMessage()));
                return;
            }
            handler.handle(e, parsed);
        }, (e, failure) -> json(e, 400, error("BAD_REQUEST", "could not read the body: " + failure)));
    }

    static String error(String code, String message) {
        return QpJson.string(QpJson.object().put("error", code).put("message", message));
    }

    static void json(HttpServerExchange ex, int status, String body) {
        ex.setStatusCode(status);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        ex.getResponseSender().send(body);
    }
}
