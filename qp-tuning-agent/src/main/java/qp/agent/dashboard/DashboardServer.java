package qp.agent.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.CookieImpl;
import io.undertow.server.handlers.sse.ServerSentEventHandler;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import qp.agent.operator.OperatorActions;
import qp.agent.operator.OperatorActions.ActionResult;
import qp.agent.store.Database;
import qp.protocol.json.QpJson;

/**
 * The operator's page, served by the agent: one HTML page with live charts (uPlot from its WebJar), experiments,
 * anomalies, patterns, models and optimizations pushed over server-sent events, and the controls (apply, reject, roll back,
 * retrain) that call {@link OperatorActions} as actor {@code dashboard}. Reading needs the token unless
 * {@link DashboardOptions#publicRead()}; controls always do.
 */
public final class DashboardServer implements AutoCloseable {
    static final String ACTOR = "dashboard";

    private final Undertow server;
    private final LiveSnapshots live;
    private final int port;
    private final String host;

    private DashboardServer(Undertow server, LiveSnapshots live, int port, String host) {
        this.server = server;
        this.live = live;
        this.port = port;
        this.host = host;
    }

    /**
     * Starts serving. The store is read through a connection of the dashboard's own to {@code store}'s file, so the
     * agent's writes are never held up by a page.
     */
    public static DashboardServer start(Database store, OperatorActions actions, DashboardOptions options, Clock clock) {
        return start(store.file(), actions, options, clock);
    }

    /** Starts serving the store in {@code storeFile} (the agent's {@code --db}), which must exist. */
    public static DashboardServer start(java.nio.file.Path storeFile, OperatorActions actions, DashboardOptions options,
            Clock clock) {
        Database reader = Database.openExisting(storeFile, clock);
        SessionCookie sessions = new SessionCookie(options.token(), clock);
        AtomicReference<LiveSnapshots> liveRef = new AtomicReference<>();
        ServerSentEventHandler sse = Handlers.serverSentEvents((connection, lastEventId) -> {
            connection.setKeepAliveTime(15_000);
            liveRef.get().sendLatest(connection);
        });
        LiveSnapshots live = new LiveSnapshots(reader, options.chartWindow(), options.calibrationMinOutcomes(),
                options.refresh(), clock, sse);
        liveRef.set(live);
        Access access = new Access(sessions, options.publicRead());
        HttpHandler routes = Handlers.path(StaticFiles.handler())
                .addExactPath("/api/session", ex -> json(ex, StatusCodes.OK, QpJson.object()
                        .put("authenticated", access.authenticated(ex)).put("publicRead", options.publicRead())))
                .addExactPath("/api/login", blocking(ex -> login(ex, sessions)))
                .addExactPath("/api/logout", ex -> {
                    ex.setResponseCookie(cookie("", 0));
                    json(ex, StatusCodes.OK, QpJson.object().put("authenticated", false));
                })
                .addExactPath("/api/snapshot", blocking(access.read(ex -> {
                    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                    ex.getResponseSender().send(live.latest());
                })))
                .addExactPath("/api/events", access.read(sse))
                .addExactPath("/api/actions", blocking(access.control(ex -> act(ex, actions, live))));
        HttpHandler root = ex -> {
            ex.getResponseHeaders().put(new HttpString("X-Content-Type-Options"), "nosniff");
            ex.getResponseHeaders().put(new HttpString("Content-Security-Policy"),
                    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:");
            routes.handleRequest(ex);
        };
        Undertow server = Undertow.builder().addHttpListener(options.port(), options.host()).setHandler(root)
                .setIoThreads(1).setWorkerThreads(4).build();
        try {
            server.start();
        } catch (RuntimeException e) {
            live.close();
            throw new IllegalStateException("dashboard: cannot listen on " + options.host() + ":" + options.port()
                    + " (" + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage())
                    + "); pick another --dashboard-port", e);
        }
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        return new DashboardServer(server, live, port, options.host());
    }

    public int port() {
        return port;
    }

    public URI uri() {
        String h = host.equals("0.0.0.0") ? "127.0.0.1" : host;
        return URI.create("http://" + h + ":" + port + "/");
    }

    private static void login(HttpServerExchange ex, SessionCookie sessions) throws IOException {
        if (!ex.getRequestMethod().equals(Methods.POST)) {
            json(ex, StatusCodes.METHOD_NOT_ALLOWED, error("POST the token"));
            return;
        }
        JsonNode body = body(ex);
        if (body == null || !sessions.tokenMatches(body.path("token").asText(null))) {
            json(ex, StatusCodes.UNAUTHORIZED, error("wrong token"));
            return;
        }
        ex.setResponseCookie(cookie(sessions.issue(), (int) SessionCookie.LIFETIME.toSeconds()));
        json(ex, StatusCodes.OK, QpJson.object().put("authenticated", true));
    }

    private static void act(HttpServerExchange ex, OperatorActions actions, LiveSnapshots live) throws IOException {
        if (!ex.getRequestMethod().equals(Methods.POST)) {
            json(ex, StatusCodes.METHOD_NOT_ALLOWED, error("POST an action"));
            return;
        }
        JsonNode b = body(ex);
        String action = b == null ? null : b.path("action").asText(null);
        String id = b == null ? null : b.path("id").asText(null);
        if (action == null || (!action.equals("retrain") && (id == null || id.isBlank()))) {
            json(ex, StatusCodes.BAD_REQUEST, error("expected {\"action\": apply|reject|rollback|retrain, \"id\": ...}"));
            return;
        }
        ActionResult r;
        switch (action) {
            case "apply" -> r = actions.apply(id, ACTOR);
            case "reject" -> r = actions.reject(id, ACTOR, b.path("reason").asText("rejected from the dashboard"));
            case "rollback" -> r = actions.rollback(id, ACTOR);
            case "retrain" -> r = actions.retrain(b.path("nodeId").asText(null), ACTOR);
            default -> {
                json(ex, StatusCodes.BAD_REQUEST, error("unknown action '" + action + "'"));
                return;
            }
        }
        live.refreshSoon();
        json(ex, r.ok() ? StatusCodes.OK : StatusCodes.CONFLICT, QpJson.mapper().valueToTree(r));
    }

    private static CookieImpl cookie(String value, int maxAgeSeconds) {
        CookieImpl c = new CookieImpl(SessionCookie.NAME, value);
        c.setPath("/");
        c.setHttpOnly(true);
        c.setSameSiteMode("Strict");
        c.setMaxAge(maxAgeSeconds);
        return c;
    }

    private static JsonNode body(HttpServerExchange ex) throws IOException {
        ex.startBlocking();
        byte[] bytes = ex.getInputStream().readNBytes(64 * 1024);
        try {
            return bytes.length == 0 ? null : QpJson.tree(bytes);
        } catch (IOException e) {
            return null;
        }
    }

    static com.fasterxml.jackson.databind.node.ObjectNode error(String message) {
        return QpJson.object().put("error", message);
    }

    static void json(HttpServerExchange ex, int status, JsonNode body) {
        ex.setStatusCode(status);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        ex.getResponseSender().send(QpJson.string(body), StandardCharsets.UTF_8);
    }

    private static HttpHandler blocking(HttpHandler h) {
        return ex -> {
            if (ex.isInIoThread()) {
                ex.dispatch(h);
            } else {
                h.handleRequest(ex);
            }
        };
    }

    @Override
    public void close() {
        server.stop();
        live.close();
    }

    /** Who may read and who may press. */
    private record Access(SessionCookie sessions, boolean publicRead) {
        boolean authenticated(HttpServerExchange ex) {
            var c = ex.getRequestCookie(SessionCookie.NAME);
            if (c != null && sessions.valid(c.getValue())) {
                return true;
            }
            String auth = ex.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
            return auth != null && auth.startsWith("Bearer ") && sessions.tokenMatches(auth.substring(7).strip());
        }

        HttpHandler read(HttpHandler next) {
            return ex -> {
                if (publicRead || authenticated(ex)) {
                    next.handleRequest(ex);
                } else {
                    json(ex, StatusCodes.UNAUTHORIZED, error("enter the admin token to see the dashboard"));
                }
            };
        }

        HttpHandler control(HttpHandler next) {
            return ex -> {
                if (authenticated(ex)) {
                    next.handleRequest(ex);
                } else {
                    json(ex, StatusCodes.UNAUTHORIZED, error("refused: controls need the admin token; log in first"));
                }
            };
        }
    }
}
