package qp.agent;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qp.agent.config.AgentConfig;
import qp.agent.config.AgentOptions;
import qp.agent.config.GatewayEntry;
import qp.agent.gateway.AdminApiApplier;
import qp.agent.gateway.Applier;
import qp.agent.ingest.KafkaControlPublisher;
import qp.agent.ingest.KafkaRecommendationSource;
import qp.agent.ingest.TopicIngest;
import qp.agent.operator.OperatorActions;
import qp.agent.store.AnalyticsWriter;
import qp.agent.store.Database;
import qp.agent.store.SqliteLedgerStore;
import qp.agent.store.SqliteOutcomeStore;
import qp.agent.experiments.ExperimentMemory;
import qp.agent.experiments.ExperimentRunner;
import qp.agent.experiments.ExperimentSettings;
import qp.agent.store.SqliteExperimentStore;
import qp.agent.tuning.Gates;
import qp.agent.tuning.LoopOperatorActions;
import qp.agent.tuning.RecommendationSource;
import qp.agent.tuning.TuningLoop;

/**
 * The running agent: the store (one connection for the loop, one for the ingest), the ingest thread, and the loop
 * ticking on its own thread. {@link #close()} stops both and closes the store.
 */
public final class TuningAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TuningAgent.class);

    private final AgentConfig config;
    private final Database loopDb;
    private final Database ingestDb;
    private final AnalyticsWriter writer;
    private final TopicIngest ingest;
    private final KafkaRecommendationSource source;
    private final KafkaControlPublisher control;
    private final TuningLoop loop;
    private final OperatorActions actions;
    private final Thread ingestThread;
    private final ScheduledExecutorService ticker;
    /** Completes when the agent can no longer do its work (its ingest died, or a tick hit a fatal error). */
    private final CompletableFuture<Throwable> failure = new CompletableFuture<>();

    private TuningAgent(AgentConfig config, Clock clock) {
        this.config = config;
        Path dbFile = Path.of(config.get(AgentOptions.DB));
        this.loopDb = Database.open(dbFile, clock);
        this.ingestDb = Database.open(dbFile, clock);
        this.writer = new AnalyticsWriter(ingestDb, config.get(AgentOptions.MESSAGE_LOG_SAMPLE));
        this.ingest = new TopicIngest(config, writer, clock);
        this.source = new KafkaRecommendationSource(config, Duration.ofMillis(100));
        this.control = new KafkaControlPublisher(config.get(AgentOptions.KAFKA), config.get(AgentOptions.CONTROL_TOPIC));
        this.loop = loop(config, source, loopDb,
                new AdminApiApplier(config.gateways(), config.get(AgentOptions.HTTP_TIMEOUT)), clock);
        this.actions = new LoopOperatorActions(loop, control, clock);
        this.ingestThread = new Thread(() -> {
            try {
                ingest.run();
            } catch (Throwable e) { // an Error too: an agent that no longer ingests must not look alive
                LOG.error("ingest stopped: {}", e.getMessage(), e);
                failure.complete(e);
            }
        }, "qp-agent-ingest");
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "qp-agent-loop"));
    }

    /** The loop on a store: its ledger, gates, experiments and memory, all on the one connection given. */
    public static TuningLoop loop(AgentConfig config, RecommendationSource source, Database db, Applier gateways,
            Clock clock) {
        SqliteLedgerStore ledger = new SqliteLedgerStore(db);
        Set<String> nodes = config.gateways().stream().map(GatewayEntry::nodeId).collect(Collectors.toSet());
        ExperimentMemory memory = SqliteExperimentStore.memory(db, config);
        return new TuningLoop(config, source, new Gates(config, nodes, ledger, memory,
                SqliteOutcomeStore.calibration(db, config)), gateways,
                new ExperimentRunner(gateways, new SqliteExperimentStore(db), ExperimentSettings.of(config)), memory,
                ledger, clock);
    }

    /** Opens the store (migrating it), starts reading the topics and ticking. */
    public static TuningAgent start(AgentConfig config, Clock clock) {
        TuningAgent a = new TuningAgent(config, clock);
        a.ingestThread.start();
        long every = config.get(AgentOptions.TICK_INTERVAL).toMillis();
        a.ticker.scheduleWithFixedDelay(a::safeTick, 0, every, TimeUnit.MILLISECONDS);
        LOG.info("agent: mode {}{}, gateways [{}], store {} (schema v{}), Kafka {}",
                config.get(AgentOptions.MODE).name().toLowerCase(), config.get(AgentOptions.DRY_RUN) ? " (dry run)" : "",
                config.gateways().stream().map(GatewayEntry::toString).collect(Collectors.joining(", ")),
                a.loopDb.file(), a.loopDb.schemaVersion(), config.get(AgentOptions.KAFKA));
        return a;
    }

    /**
     * One tick that never ends the schedule: an exception (or a stack overflow) is logged and the next tick tries
     * again, the ledger holding every step taken so far; any other Error is fatal ({@link #failure}), since a
     * scheduled task that throws is never run again and the agent would sit there doing nothing.
     */
    private void safeTick() {
        try {
            loop.tick();
        } catch (Exception | StackOverflowError e) {
            LOG.error("tick failed: {}", e.getMessage(), e);
        } catch (Throwable e) {
            LOG.error("tick failed fatally, the agent stops: {}", e.getMessage(), e);
            failure.complete(e);
        }
    }

    /** Completes with the cause when the agent can no longer work; {@code bin/qp agent} then exits non-zero. */
    public CompletableFuture<Throwable> failure() {
        return failure;
    }

    /** What the dashboard and the CLI call: apply, reject, roll back, retrain. */
    public OperatorActions operatorActions() {
        return actions;
    }

    public AgentConfig config() {
        return config;
    }

    public TopicIngest ingest() {
        return ingest;
    }

    @Override
    public void close() {
        ticker.shutdown();
        try {
            ticker.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ingest.close();
        try {
            ingestThread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        source.close();
        control.close();
        writer.close();
        ingestDb.close();
        loopDb.close();
        LOG.info("agent stopped");
    }
}
