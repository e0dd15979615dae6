package qp.agent.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static qp.agent.testing.ExperimentRows.estimate;
import static qp.agent.testing.ScenarioStore.NOW;

import com.fasterxml.jackson.databind.JsonNode;
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
import qp.agent.experiments.Experiment;
import qp.agent.experiments.ExperimentVerdict;
import qp.agent.store.Database;
import qp.agent.testing.BrowserPage;
import qp.agent.testing.ExperimentRows;
import qp.agent.testing.HeadlessChromium;
import qp.agent.testing.OutcomeRows;
import qp.agent.testing.RecordingOperatorActions;
import qp.agent.testing.RecordingOperatorActions.Call;
import qp.agent.testing.ScenarioStore;
import qp.agent.testing.StoreRows;

/**
 * The dashboard in a real headless Chromium: it loads without console errors, the charts follow a stream of windows
 * written to the store, a control press reaches OperatorActions and shows its result, a press without the token is
 * refused, the experiments' effects and verdicts are shown and follow the store, and the page reconnects by itself
 * when the agent restarts. Writes target/dashboard.png and target/dashboard-experiments.png.
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

    static String text(BrowserPage page, String selector) {
        return page.eval("(document.querySelector('" + selector + "') || {}).textContent").asText();
    }

    @Test
    void experimentsShowTheRunningEffectLiveAndTheEndedVerdicts() throws Exception {
        String kept = "experiment x-rules-r4: refusals per minute -40% (95% interval -52% to -30%) | kept: adopted on "
                + "the whole node";
        String harm = "experiment x-rules-r5: heartbeats per connection-minute +12% | harm: the treatment made it "
                + "worse; everyone back on control";
        Path file = ScenarioStore.create(dir.resolve("agent.db"));
        RecordingOperatorActions actions = new RecordingOperatorActions(file, ScenarioStore.CLOCK);
        try (Database store = Database.open(file, ScenarioStore.CLOCK);
             DashboardServer server = DashboardServer.start(store, actions, options(0, false), ScenarioStore.CLOCK);
             BrowserPage page = chromium.newPage(true)) {
            ExperimentRows rows = new ExperimentRows(store);
            Experiment r5 = rows.started("x-rules-r5", "edge-1", "heartbeat_interval", 30_000, 45_000, 0.1,
                    NOW - 3_600_000);
            rows.ended(r5, ExperimentVerdict.HARM, estimate(0.12, 0.05, 0.20, 0.999, 3000, 310), harm, NOW - 3_000_000);
            Experiment r4 = rows.started("x-rules-r4", "edge-2", "max_connections", 100, 200, 0, NOW - 1_800_000);
            rows.ended(r4, ExperimentVerdict.KEPT, estimate(-0.40, -0.52, -0.30, 0.95, 52_000, 51_000), kept,
                    NOW - 600_000);
            Experiment r1 = rows.started("x-rules-r1", "edge-1", "compression_threshold", 0, 1024, 0.1, NOW - 120_000);
            rows.observed(r1, estimate(-0.62, -0.70, -0.55, 0.95, 1200, 130), NOW - 5_000);

            page.navigate(server.uri().toString());
            login(page);
            String running = "#exp-running tr[data-id=\"x-rules-r1\"]";
            page.waitUntil("document.querySelector('" + running + "') !== null", SECONDS);
            assertThat(text(page, running)).contains("edge-1", "compression_threshold off → 1024 bytes",
                    "10% of sessions", "running", "wire_bytes_per_raw_byte", "-62% [-70%, -55%] at 95%", "1200 / 130");
            // the bar on a scale of ±100% (the widest end, 70%, rounded up): the interval from 15% to 22.5% of it
            assertThat(text(page, "#exp-running th.ci-head .scale")).isEqualTo("(-100% … +100%)");
            assertThat(page.eval("document.querySelector('" + running + " .ci .range').className").asText())
                    .isEqualTo("range better");
            assertThat(page.eval("document.querySelector('" + running + " .ci .range').style.left").asText())
                    .isEqualTo("15%");
            assertThat(page.eval("document.querySelector('" + running + " .ci .range').style.width").asText())
                    .isEqualTo("7.5%");
            assertThat(page.eval("document.querySelector('" + running + " .ci .point').style.left").asText())
                    .isEqualTo("19%");

            assertThat(page.eval("[...document.querySelectorAll('#exp-ended tbody tr')].map(r => r.dataset.id)"))
                    .extracting(JsonNode::asText).containsExactly("x-rules-r4", "x-rules-r5");
            String keptRow = "#exp-ended tr[data-id=\"x-rules-r4\"]";
            assertThat(page.eval("document.querySelector('" + keptRow + " .badge').dataset.verdict").asText())
                    .isEqualTo("kept");
            assertThat(text(page, keptRow)).contains("edge-2", "max_connections 100 connections → 200 connections",
                    "-40% [-52%, -30%] at 95%", kept);
            assertThat(text(page, "#exp-ended tr[data-id=\"x-rules-r5\"]")).contains("harm",
                    "+12% [+5.0%, +20%] at 99.9%", harm);
            assertThat(page.eval("document.querySelector('#exp-ended tr[data-id=\"x-rules-r5\"] .ci .range')"
                    + ".className").asText()).isEqualTo("range worse");

            // a new look at the running experiment reaches the open page by itself
            rows.observed(r1, estimate(-0.58, -0.63, -0.52, 0.95, 2400, 260), NOW - 1_000);
            page.waitUntil("document.querySelector('" + running + "').textContent.includes('-58% [-63%, -52%] at 95%')",
                    SECONDS);
            assertThat(text(page, running)).contains("2400 / 260").doesNotContain("-62%");
            assertThat(page.consoleErrors()).as("console errors").isEmpty();
            page.screenshot(Path.of("target", "dashboard-experiments.png"));

            // and when it ends, it moves to the ended ones with its verdict
            rows.ended(r1, ExperimentVerdict.KEPT, estimate(-0.58, -0.63, -0.52, 0.95, 2400, 260),
                    "experiment x-rules-r1: kept", NOW);
            page.waitUntil("document.querySelector('#exp-ended tbody tr').dataset.id === 'x-rules-r1'", SECONDS);
            assertThat(text(page, "#exp-running tbody")).isEqualTo("no experiment running");
            assertThat(page.eval("document.querySelector('#exp-ended tr[data-id=\"x-rules-r1\"] .badge')"
                    + ".dataset.verdict").asText()).isEqualTo("kept");
            assertThat(page.consoleErrors()).as("console errors").isEmpty();
        } finally {
            actions.close();
        }
    }

    @Test
    void theCalibrationSectionShowsTheReliabilityTableOnceThereAreOutcomesAndSaysWhenNIsTooSmall() throws Exception {
        Path file = ScenarioStore.create(dir.resolve("agent.db"));
        RecordingOperatorActions actions = new RecordingOperatorActions(file, ScenarioStore.CLOCK);
        try (Database store = Database.open(file, ScenarioStore.CLOCK);
             DashboardServer server = DashboardServer.start(store, actions, options(0, false), ScenarioStore.CLOCK);
             BrowserPage page = chromium.newPage(true)) {
            page.navigate(server.uri().toString());
            login(page);
            page.waitUntil("qpDashboard.snapshots > 0", SECONDS);
            assertThat(text(page, "#calibration-sources")).isEqualTo("no decided outcome yet: n too small for a "
                    + "reliability table; calibration is not active yet (30 outcomes per source needed)");

            // 60 model outcomes kept with probability c² at confidence c in 0.8..1, and 4 of the rules
            java.util.Random random = new java.util.Random(23);
            OutcomeRows rows = new OutcomeRows(store);
            int topN = 0;
            int topKept = 0;
            int allKept = 0;
            double topSum = 0;
            double squares = 0;
            for (int i = 0; i < 60; i++) {
                double c = 0.8 + 0.2 * random.nextDouble();
                boolean kept = random.nextDouble() < c * c;
                rows.decided("model", c, kept ? ExperimentVerdict.KEPT : ExperimentVerdict.NO_EFFECT, NOW - i * 60_000L);
                squares += (c - (kept ? 1 : 0)) * (c - (kept ? 1 : 0));
                allKept += kept ? 1 : 0;
                if (c >= 0.9) {
                    topN++;
                    topKept += kept ? 1 : 0;
                    topSum += c;
                }
            }
            for (int i = 0; i < 4; i++) {
                rows.decided("rules", 0.9, i == 0 ? ExperimentVerdict.HARM : ExperimentVerdict.KEPT, NOW - i * 1000L);
            }
            String model = "#calibration-sources [data-source=\"model\"]";
            String rules = "#calibration-sources [data-source=\"rules\"]";
            page.waitUntil("document.querySelector('" + model + "') !== null", SECONDS);

            assertThat(text(page, model + " h3")).contains(String.format(java.util.Locale.ROOT,
                    "model: 60 outcomes, %d kept · Brier %.3f over 60", allKept, squares / 60)).contains("calibration active");
            double share = (double) topKept / topN;
            double z = 1.959963984540054;
            double centre = (share + z * z / (2 * topN)) / (1 + z * z / topN);
            double half = z / (1 + z * z / topN) * Math.sqrt(share * (1 - share) / topN + z * z / (4.0 * topN * topN));
            assertThat(text(page, model + " tr[data-band=\"[0.9, 1.0]\"]")).isEqualTo("[0.9, 1.0]" + topN
                    + String.format(java.util.Locale.ROOT, "%.2f%.0f%%%.0f%% – %.0f%%", topSum / topN,
                            100 * share, 100 * (centre - half), 100 * (centre + half)));
            assertThat(text(page, model + " tr[data-band=\"[0.5, 0.6)\"]")).isEqualTo("[0.5, 0.6)0---");

            assertThat(page.eval("document.querySelector('" + rules + " .badge').dataset.active").asText())
                    .isEqualTo("false");
            assertThat(text(page, rules)).contains("calibration not active yet: 4 of 30 decided outcomes",
                    "n too small (3 of 4)");
            assertThat(text(page, "#calibration-sources [data-source=\"all\"] h3")).contains("all: 64 outcomes");
            assertThat(text(page, "#calibration-note")).contains("left out", "0 stopped, 0 failed to start");
            assertThat(page.consoleErrors()).as("console errors").isEmpty();
            page.screenshot(Path.of("target", "dashboard-calibration.png"));
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
