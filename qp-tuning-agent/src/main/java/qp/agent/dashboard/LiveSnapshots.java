package qp.agent.dashboard;

import io.undertow.server.handlers.sse.ServerSentEventConnection;
import io.undertow.server.handlers.sse.ServerSentEventHandler;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qp.agent.calibration.ConfidenceCalibration;
import qp.agent.store.Database;
import qp.agent.store.SqliteExperimentStore;
import qp.agent.store.SqliteOutcomeStore;
import qp.agent.store.StoreException;
import qp.protocol.json.QpJson;

/**
 * Reads the store on one thread of its own (its own read connection: the agent writes through another) every
 * {@code refresh}, and pushes the snapshot to every open page when it changed. The last snapshot is kept for pages
 * that just connected.
 */
final class LiveSnapshots implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveSnapshots.class);

    private final Database reader;
    private final DashboardSnapshot snapshot;
    private final Clock clock;
    private final ServerSentEventHandler sse;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dashboard-snapshots");
        t.setDaemon(true);
        return t;
    });
    private volatile String latest;
    private volatile String lastError;

    LiveSnapshots(Database reader, Duration chartWindow, int calibrationMinOutcomes, Duration refresh, Clock clock,
            ServerSentEventHandler sse) {
        this.reader = reader;
        this.snapshot = new DashboardSnapshot(reader.connection(), new SqliteExperimentStore(reader),
                new ConfidenceCalibration(new SqliteOutcomeStore(reader), calibrationMinOutcomes), chartWindow);
        this.clock = clock;
        this.sse = sse;
        thread.scheduleWithFixedDelay(this::refresh, 0, refresh.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The latest snapshot JSON, reading it now if there is none yet. */
    String latest() {
        if (latest == null) {
            try {
                thread.submit(this::refresh).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("the store could not be read: " + lastError, e);
            }
        }
        return latest;
    }

    /** Reads again at once (after an operator's action), off the caller's thread. */
    void refreshSoon() {
        thread.execute(this::refresh);
    }

    void sendLatest(ServerSentEventConnection c) {
        String s = latest;
        if (s != null) {
            c.send(s, "snapshot", null, null);
        }
    }

    private void refresh() {
        try {
            var node = snapshot.read(clock.millis());
            String body = QpJson.string(node);
            if (!body.equals(latest)) {
                latest = body;
                for (ServerSentEventConnection c : sse.getConnections()) {
                    c.send(body, "snapshot", null, null);
                }
            }
            lastError = null;
        } catch (SQLException | RuntimeException e) {
            String msg = e instanceof SQLException se ? Database.explain(reader.file(), se).getMessage()
                    : e instanceof StoreException ? e.getMessage() : e.toString(); // the store classes explain theirs
            if (!msg.equals(lastError)) {
                LOG.warn("dashboard: cannot read the store: {}", msg);
            }
            lastError = msg;
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reader.close();
    }
}
