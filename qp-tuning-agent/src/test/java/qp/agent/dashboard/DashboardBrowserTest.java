package qp.agent.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qp.agent.store.Database;
import qp.agent.testing.BrowserPage;
import qp.agent.testing.HeadlessChromium;
import qp.agent.testing.RecordingOperatorActions;
import qp.agent.testing.RecordingOperatorActions.Call;
import qp.agent.testing.ScenarioStore;
import qp.agent.testing.StoreRows;

/**
 * The dashboard in a real headless Chromium: it loads without console errors, the charts follow a stream of windows
 * written to the store, a control press reaches OperatorActions and shows its result, a press without the token is
 * refused, and the page reconnects by itself when the agent restarts. Writes target/dashboard.png.
 */
class DashboardBrowserTest {
    static final String TOKEN = "dash-secret";
    static final Duration SECONDS = Duration.ofSeconds(20);
    static HeadlessChromium chromium;

    @TempDir
    static Path profile;
    @TempDir
    Path dir;

    @BeforeAll
    static void browser() throws Exception {
        chromium = HeadlessChromium.start(profile.resolve("chromium"));
    }

    @AfterAll
    static void closeBrowser() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
    }

    static DashboardOptions options(int port, boolean publicRead) {
        return new DashboardOptions("127.0.0.1", port, TOKEN, publicRead, Duration.ofMillis(200), Duration.ofMinutes(15));
    }

    static int status(HttpRequest r) throws Exception {
        return HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static String statusOf(Database db, String id) throws SQLException {
        try (Statement s = db.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT status FROM optimizations WHERE recommendation_id = '" + id + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    static void login(BrowserPage page) {
        page.waitUntil("!document.getElementById('login').hidden", SECONDS);
        page.eval("document.getElementById('token').value = '" + TOKEN + "';"
                + "document.querySelector('#login-form button').click(); true");
    }

    @Test
    void liveChartsControlsAndAScreenshot() throws Exception {
        Path file = ScenarioStore.create(dir.resolve("agent.db"));
        RecordingOperatorActions actions = new RecordingOperatorActions(file, ScenarioStore.CLOCK);
        try (Database store = Database.open(file, ScenarioStore.CLOCK);
             DashboardServer server = DashboardServer.start(store, actions, options(0, false), ScenarioStore.CLOCK);
             BrowserPage page = chromium.newPage(true)) {
            URI api = server.uri().resolve("api/snapshot");
            assertThat(status(HttpRequest.newBuilder(api).build())).as("reading needs the token").isEqualTo(401);
            assertThat(status(HttpRequest.newBuilder(api).header("Authorization", "Bearer " + TOKEN).build()))
                    .isEqualTo(200);

            page.navigate(server.uri().toString());
            login(page);
            page.waitUntil("qpDashboard.snapshots > 0 && qpDashboard.points['edge-1'] === 6 "
                    + "&& qpDashboard.points['edge-2'] === 6", SECONDS);
            assertThat(page.eval("document.getElementById('status').textContent").asText()).isEqualTo("live");

            // a stream of windows arriving in the store, as the agent's ingest writes them
            StoreRows rows = new StoreRows(store.connection());
            for (int k = 1; k <= 3; k++) {
                long end = ScenarioStore.NOW + k * 10_000L;
                rows.window("edge-1", end - 10_000, end, 2500 + 100 * k, 400, 900, 1500 + 500 * k, 3000, 0);
                page.waitUntil("qpDashboard.points['edge-1'] === " + (6 + k), SECONDS);
            }
            assertThat(page.eval("qpDashboard.lastSnapshot.nodes['edge-1'].p99.slice(-1)[0]").asDouble()).isEqualTo(3000);
            assertThat(page.eval("document.querySelectorAll('#nodes canvas').length").asInt()).isEqualTo(4);
            assertThat(page.eval("document.getElementById('bigrams').textContent").asText())
                    .contains("COMMAND -> ACK", "234");
            assertThat(page.eval("document.getElementById('models').textContent").asText())
                    .contains("latency/edge-1/v2", "R² 0.930", "payload_size");
            assertThat(page.eval("document.querySelectorAll('#anomalies tbody tr').length").asInt()).isEqualTo(4);
            assertThat(page.eval("document.querySelectorAll('#opts tbody tr').length").asInt()).isEqualTo(6);
            assertThat(page.eval("document.getElementById('opts').textContent").asText())
                    .contains("evidence for rules-r1", "-50.0%", "gate confidence: confidence 0.50 below 0.80");
            assertThat(page.consoleErrors()).as("console errors").isEmpty();

            page.eval("document.querySelector('button[data-action=apply][data-id=\"rules-r1\"]').click(); true");
            page.waitUntil("document.querySelector('#opts tr[data-id=\"rules-r1\"] .badge').dataset.status === 'applied'"
                    + " && document.getElementById('result').textContent.includes('applied by')", SECONDS);
            assertThat(page.eval("document.getElementById('result').textContent").asText())
                    .contains("apply rules-r1", "applied by dashboard");
            assertThat(actions.calls).containsExactly(new Call("apply", "rules-r1", "dashboard"));
            try (Statement s = store.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT e.status, e.actor FROM optimization_events e JOIN optimizations o "
                         + "ON o.id = e.optimization_id WHERE o.recommendation_id = 'rules-r1' ORDER BY e.id DESC LIMIT 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("applied");
                assertThat(rs.getString(2)).isEqualTo("dashboard");
            }

            page.eval("document.getElementById('retrain').click(); true");
            page.waitUntil("document.getElementById('result').textContent.includes('retraining requested')", SECONDS);
            assertThat(actions.calls).endsWith(new Call("retrain", null, "dashboard"));
            assertThat(page.consoleErrors()).as("console errors").isEmpty();
            page.screenshot(Path.of("target", "dashboard.png"));
        } finally {
            actions.close();
        }
    }

    @Test
    void aPressWithoutTheTokenIsRefusedEvenWhenReadingIsPublic() throws Exception {
        Path file = ScenarioStore.create(dir.resolve("agent.db"));
        RecordingOperatorActions actions = new RecordingOperatorActions(file, ScenarioStore.CLOCK);
        try (Database store = Database.open(file, ScenarioStore.CLOCK);
             DashboardServer server = DashboardServer.start(store, actions, options(0, true), ScenarioStore.CLOCK);
             BrowserPage page = chromium.newPage(true)) {
            page.navigate(server.uri().toString());
            page.waitUntil("qpDashboard.snapshots > 0", SECONDS);
            assertThat(page.eval("document.getElementById('login').hidden").asBoolean()).isTrue();
            assertThat(page.consoleErrors()).isEmpty();

            page.eval("document.querySelector('button[data-action=reject][data-id=\"rules-r2\"]').click(); true");
            page.waitUntil("document.getElementById('result').className === 'refused'", SECONDS);
            assertThat(page.eval("document.getElementById('result').textContent").asText())
                    .contains("refused", "admin token");
            assertThat(actions.calls).as("nothing reached the agent").isEmpty();
            assertThat(statusOf(store, "rules-r2")).isEqualTo("pending");
            assertThat(status(HttpRequest.newBuilder(server.uri().resolve("api/actions"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"retrain\"}")).build())).isEqualTo(401);
            assertThat(status(HttpRequest.newBuilder(server.uri().resolve("api/actions"))
                    .header("Authorization", "Bearer wrong")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"retrain\"}")).build())).isEqualTo(401);
            assertThat(actions.calls).isEmpty();
        } finally {
            actions.close();
        }
    }

    @Test
    void thePageReconnectsByItselfWhenTheAgentRestarts() throws Exception {
        Path file = ScenarioStore.create(dir.resolve("agent.db"));
        RecordingOperatorActions actions = new RecordingOperatorActions(file, ScenarioStore.CLOCK);
        try (Database store = Database.open(file, ScenarioStore.CLOCK); BrowserPage page = chromium.newPage(true)) {
            DashboardServer first = DashboardServer.start(store, actions, options(0, false), ScenarioStore.CLOCK);
            int port = first.port();
            page.navigate(first.uri().toString());
            login(page);
            page.waitUntil("qpDashboard.points['edge-1'] === 6", SECONDS);
            first.close();
            page.waitUntil("qpDashboard.status !== 'live'", SECONDS);
            long end = ScenarioStore.NOW + 10_000;
            new StoreRows(store.connection()).window("edge-1", end - 10_000, end, 2000, 400, 900, 1000, 1100, 0);
            try (DashboardServer second = DashboardServer.start(store, actions, options(port, false), ScenarioStore.CLOCK)) {
                page.waitUntil("qpDashboard.status === 'live' && qpDashboard.points['edge-1'] === 7", SECONDS);
                assertThat(page.eval("document.getElementById('login').hidden").asBoolean())
                        .as("the session outlived the restart: no new login").isTrue();
            }
        } finally {
            actions.close();
        }
    }
}
