package qp.gateway;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import qp.gateway.session.SessionTimers;
import qp.gateway.time.GatewayClock;
import qp.protocol.params.TunableParameter;
import qp.protocol.params.TunableParams;

/**
 * Everything a {@link GatewayServer} needs, with defaults for all but the two tokens. Build with {@link #builder()}.
 *
 * @param host               interface of the QP listener ({@code 0.0.0.0})
 * @param port               QP WebSocket port; 0 picks a free port
 * @param adminHost          interface of the admin API
 * @param adminPort          admin HTTP port; 0 picks a free port
 * @param nodeId             this gateway's name in frame events and node samples
 * @param clientToken        the token clients send in AUTH
 * @param adminToken         the bearer token of the admin API (must differ from the client token)
 * @param authRequired       PROTOCOL.md's default: sessions must AUTH first
 * @param params             the tunable parameters at start (version 1)
 * @param routes             extension ops forwarded to upstream HTTP services: op name to URL
 * @param upstreamTimeout    how long a forwarded op may take before UPSTREAM_ERROR
 * @param ioThreads          Undertow IO threads of the QP listener; sessions are handled on them
 * @param metricsInterval    period of the NodeMetrics samples
 * @param shutdownGrace      how long close() waits for in-flight work and session closes
 * @param tls                when set, the QP listener speaks {@code wss://} with this context; null = plain {@code ws://}
 * @param clock              the gateway's one clock (frame stamps and latencies, heartbeats, samples, experiments,
 *                           ping); tests inject one they advance
 * @param timers             where session timers run (heartbeats, close grace); tests inject their clock
 * @param stateDir           where parameters changed through the admin API are persisted and reloaded at start;
 *                           null = they last until the process ends
 * @param advertisedAdminUrl the admin API's URL as others should reach it, carried in the node samples; may be null
 */
public record GatewayConfig(
        String host,
        int port,
        String adminHost,
        int adminPort,
        String nodeId,
        String clientToken,
        String adminToken,
        boolean authRequired,
        TunableParams params,
        Map<String, URI> routes,
        Duration upstreamTimeout,
        int ioThreads,
        Duration metricsInterval,
        Duration shutdownGrace,
        javax.net.ssl.SSLContext tls,
        Clock clock,
        SessionTimers timers,
        java.nio.file.Path stateDir,
        String advertisedAdminUrl) {

    public static final int DEFAULT_PORT = 9999;
    public static final int DEFAULT_ADMIN_PORT = 9998;

    public GatewayConfig {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(clientToken, "clientToken: set QP_TOKEN or --token-file");
        Objects.requireNonNull(adminToken, "adminToken: set QP_ADMIN_TOKEN or --admin-token-file");
        if (clientToken.isEmpty() || adminToken.isEmpty()) {
            throw new IllegalArgumentException("the client and admin tokens must not be empty");
        }
        if (clientToken.equals(adminToken)) {
            throw new IllegalArgumentException("the admin token must differ from the client token");
        }
        for (TunableParameter p : TunableParameter.values()) {
            String problem = p.validate(params.get(p));
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
        }
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(timers, "timers");
        routes = Map.copyOf(routes);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder with the defaults of PROTOCOL.md and GatewayMain. */
    public static final class Builder {
        private String host = "0.0.0.0";
        private int port = DEFAULT_PORT;
        private String adminHost = "0.0.0.0";
        private int adminPort = DEFAULT_ADMIN_PORT;
        private String nodeId = "qp-gateway";
        private String clientToken;
        private String adminToken;
        private boolean authRequired = true;
        private TunableParams params = TunableParams.defaults();
        private final Map<String, URI> routes = new LinkedHashMap<>();
        private Duration upstreamTimeout = Duration.ofSeconds(5);
        private int ioThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        private Duration metricsInterval = Duration.ofSeconds(1);
        private Duration shutdownGrace = Duration.ofSeconds(5);
        private javax.net.ssl.SSLContext tls;
        private Clock clock = GatewayClock.system();
        private SessionTimers timers = SessionTimers.IO_THREAD;
        private java.nio.file.Path stateDir;
        private String advertisedAdminUrl;

        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder adminHost(String v) { adminHost = v; return this; }
        public Builder adminPort(int v) { adminPort = v; return this; }
        public Builder nodeId(String v) { nodeId = v; return this; }
        public Builder clientToken(String v) { clientToken = v; return this; }
        public Builder adminToken(String v) { adminToken = v; return this; }
        public Builder authRequired(boolean v) { authRequired = v; return this; }
        public Builder params(TunableParams v) { params = v; return this; }
        public Builder param(TunableParameter p, long v) { params = params.with(Map.of(p, v)); return this; }
        public Builder route(String op, URI upstream) { routes.put(op, upstream); return this; }
        public Builder routes(Map<String, URI> v) { routes.putAll(v); return this; }
        public Builder upstreamTimeout(Duration v) { upstreamTimeout = v; return this; }
        public Builder ioThreads(int v) { ioThreads = v; return this; }
        public Builder metricsInterval(Duration v) { metricsInterval = v; return this; }
        public Builder shutdownGrace(Duration v) { shutdownGrace = v; return this; }
        public Builder tls(javax.net.ssl.SSLContext v) { tls = v; return this; }
        public Builder clock(Clock v) { clock = v; return this; }
        public Builder timers(SessionTimers v) { timers = v; return this; }
        public Builder stateDir(java.nio.file.Path v) { stateDir = v; return this; }
        public Builder advertisedAdminUrl(String v) { advertisedAdminUrl = v; return this; }

        public GatewayConfig build() {
            return new GatewayConfig(host, port, adminHost, adminPort, nodeId, clientToken, adminToken, authRequired,
                    params, routes, upstreamTimeout, ioThreads, metricsInterval, shutdownGrace, tls, clock, timers, stateDir,
                    advertisedAdminUrl);
        }
    }
}
