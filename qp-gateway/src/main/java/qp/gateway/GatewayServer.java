package qp.gateway;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.Handlers;
import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;
import qp.gateway.admin.AdminApi;
import qp.gateway.admin.ExperimentResource;
import qp.gateway.admin.HealthResource;
import qp.gateway.admin.ParamsResource;
import qp.gateway.commands.CommandRegistry;
import qp.gateway.events.EventEmitter;
import qp.gateway.experiments.Experiments;
import qp.gateway.metrics.GatewayMetrics;
import qp.gateway.metrics.NodeMetricsSampler;
import qp.gateway.params.ParamsHolder;
import qp.gateway.params.PersistedParams;
import qp.gateway.session.QpEndpoint;
import qp.gateway.session.Session;
import qp.gateway.session.SessionRegistry;
import qp.gateway.session.SessionServices;

/**
 * A running gateway: the QP WebSocket endpoint ({@code /qp}), the admin API and the per-second node samples.
 * <pre>
 * try (GatewayServer gw = GatewayServer.start(config, emitter)) {
 *     URI qp = gw.uri();            // ws://127.0.0.1:port/qp
 *     gw.params().apply(...);       // as the admin API does
 * }
 * </pre>
 * The server owns the emitter from then on: {@link #close()} closes it last, after the sessions.
 */
public final class GatewayServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

    private final GatewayConfig config;
    private final EventEmitter emitter;
    private final PrometheusMeterRegistry registry;
    private final ParamsHolder params;
    private final Experiments experiments;
    private final String instanceId;
    private final PersistedParams persisted;
    private final GatewayMetrics metrics;
    private final SessionRegistry sessions;
    private final CommandRegistry commands;
    private final NodeMetricsSampler sampler;
    private final AtomicBoolean accepting = new AtomicBoolean(true);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ScheduledExecutorService scheduler;
    private final Undertow qp;
    private final Undertow admin;
    private final int port;
    private final int adminPort;

    private GatewayServer(GatewayConfig config, EventEmitter emitter, PrometheusMeterRegistry registry) {
        this.config = config;
        this.emitter = emitter;
        this.registry = registry;
        this.instanceId = java.util.UUID.randomUUID().toString();
        this.persisted = loadPersisted(config);
        // with a state dir, an experiment that ran before the restart goes on (same id and start time)
        this.params = new ParamsHolder(Experiments.restore(config.params(), persisted));
        this.experiments = new Experiments(params, config.clock(), persisted);
        this.metrics = new GatewayMetrics(registry);
        metrics.bindEmitter(emitter);
        metrics.bindParams(params);
        this.sessions = new SessionRegistry(metrics.sessions());
        metrics.bindExperiment(params, arm -> {
            var e = params.current().experiment();
            return e == null ? 0 : sessions.inArm(e, arm, config.clock().millis());
        });
        this.commands = CommandRegistry.withBuiltIns(config.clock());
        commands.registerRoutes(config.routes(), config.upstreamTimeout());
        params.onChange(v -> sessions.forEach(Session::onParamsChanged));

        SessionServices services = new SessionServices(config.nodeId(),
                config.clientToken().getBytes(StandardCharsets.UTF_8), config.authRequired(), params, metrics,
                emitter, commands, sessions, accepting::get, config.clock(), config.timers());
        Undertow.Builder qpBuilder = Undertow.builder();
        if (config.tls() != null) {
            qpBuilder.addHttpsListener(config.port(), config.host(), config.tls());
        } else {
            qpBuilder.addHttpListener(config.port(), config.host());
        }
        this.qp = qpBuilder
                .setIoThreads(config.ioThreads())
                .setWorkerThreads(2) // sessions never leave the IO threads; the worker pool only serves HTTP 404s
                .setSocketOption(Options.TCP_NODELAY, true)
                .setHandler(Handlers.path().addExactPath("/qp", Handlers.websocket(new QpEndpoint(services))))
                .build();
        try {
            qp.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot listen for QP on " + config.host() + ":" + config.port() + ": "
                    + e.getMessage(), e);
        }
        this.port = ((InetSocketAddress) qp.getListenerInfo().get(0).getAddress()).getPort();

        this.sampler = new NodeMetricsSampler(config.nodeId(), metrics, params, emitter, instanceId,
                config.advertisedAdminUrl(), config.clock());
        AdminApi api = new AdminApi(config.adminToken(), new ParamsResource(params, instanceId, persisted),
                new ExperimentResource(experiments, params, sessions::inArm, config.clock(), instanceId),
                new HealthResource(accepting::get, sampler::emitterFailing, emitter, instanceId), registry);
        this.admin = Undertow.builder()
                .addHttpListener(config.adminPort(), config.adminHost())
                .setIoThreads(1)
                .setWorkerThreads(2)
                .setHandler(api)
                .build();
        try {
            admin.start();
        } catch (RuntimeException e) {
            qp.stop(); // do not leave the QP port bound when the admin port is taken
            throw new IllegalStateException("cannot listen for the admin API on " + config.adminHost() + ":"
                    + config.adminPort() + ": " + e.getMessage(), e);
        }
        this.adminPort = ((InetSocketAddress) admin.getListenerInfo().get(0).getAddress()).getPort();

        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "qp-node-metrics");
            t.setDaemon(true);
            return t;
        });
        long everyMs = config.metricsInterval().toMillis();
        scheduler.scheduleAtFixedRate(sampler, everyMs, everyMs, TimeUnit.MILLISECONDS);
        LOG.info("QP gateway {} listening on " + (config.tls() != null ? "wss" : "ws") + "://{}:{}/qp, admin on http://{}:{} (params v{})", config.nodeId(),
                config.host(), port, config.adminHost(), adminPort, params.version());
    }

    private static PersistedParams loadPersisted(GatewayConfig config) {
        if (config.stateDir() == null) {
            return null;
        }
        try {
            PersistedParams p = PersistedParams.load(config.stateDir());
            if (p.version() > 0) {
                LOG.info("params v{} restored from {}", p.version(), config.stateDir().resolve(PersistedParams.FILE));
            }
            return p;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** This process's instance id: new at each start, shown by the admin API and in the node samples. */
    public String instanceId() {
        return instanceId;
    }

    /** Starts a gateway with its own Prometheus registry. */
    public static GatewayServer start(GatewayConfig config, EventEmitter emitter) {
        return start(config, emitter, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /** Starts a gateway whose meters go to {@code registry} (shared with the emitter's meters in GatewayMain). */
    public static GatewayServer start(GatewayConfig config, EventEmitter emitter, PrometheusMeterRegistry registry) {
        return new GatewayServer(config, emitter, registry);
    }

    public int port() {
        return port;
    }

    public int adminPort() {
        return adminPort;
    }

    /** {@code ws://127.0.0.1:<port>/qp}, or {@code wss://localhost:<port>/qp} with TLS (the name a certificate carries). */
    public URI uri() {
        return config.tls() != null ? URI.create("wss://localhost:" + port + "/qp") : URI.create("ws://127.0.0.1:" + port + "/qp");
    }

    /** {@code http://127.0.0.1:<adminPort>}. */
    public URI adminUri() {
        return URI.create("http://127.0.0.1:" + adminPort);
    }

    /** The tunable parameters in force; {@code params().apply(...)} changes them as the admin API does. */
    public ParamsHolder params() {
        return params;
    }

    /** The node's experiment: start, ramp and end it as {@code /experiment} does. */
    public Experiments experiments() {
        return experiments;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The ops this gateway answers; {@code commands().register(op, handler)} adds one at run time. */
    public CommandRegistry commands() {
        return commands;
    }

    public GatewayConfig config() {
        return config;
    }

    /** Open sessions. */
    public int sessions() {
        return sessions.size();
    }

    /**
     * Graceful stop: refuse new connections (SHUTTING_DOWN); each session stops reading, finishes the frames its IO
     * thread already holds and the COMMANDs still waiting for a reply (an upstream's), then closes with 1001; wait for
     * them up to the configured grace, stop the listeners, then close the emitter (which flushes).
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.info("QP gateway {} shutting down: {} session(s) open", config.nodeId(), sessions.size());
        accepting.set(false);
        sessions.forEach(Session::shutdown);
        // waited by counting sleeps, not by the clock: a test's clock that only moves when told would never end it
        long graceMillis = config.shutdownGrace().toMillis();
        for (long waited = 0; sessions.size() > 0 && waited < graceMillis; waited += 10) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (sessions.size() > 0) {
            LOG.warn("{} session(s) did not close within {}; cutting them", sessions.size(), config.shutdownGrace());
        }
        scheduler.shutdownNow();
        qp.stop();
        admin.stop();
        sampler.run(); // a last sample, so the final counts reach Kafka
        emitter.close();
        LOG.info("QP gateway {} stopped", config.nodeId());
    }
}
