package qp.agent.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qp.agent.testing.AgentProcess;
import qp.agent.testing.AgentRig;
import qp.agent.testing.BrowserPage;
import qp.agent.testing.GatewayAdmin;
import qp.agent.testing.HeadlessChromium;
import qp.agent.testing.Scenario;
import qp.protocol.analytics.Recommendation;

/**
 * The dashboard's buttons with nothing in between doubled: a real headless Chromium presses Apply and then Roll back
 * on the page served by a real agent process (bin/qp agent's main class, with its dashboard), which starts and ends
 * the experiment on a real gateway; the gateway's admin API says what happened.
 */
class DashboardThroughTheAgentTest {
    static final String TOKEN = "dash-secret";
    static final Duration SECONDS = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void applyAndRollBackPressedInTheBrowserStartAndEndTheExperimentOnTheGateway() throws Exception {
        Path tokenFile = dir.resolve("dashboard-token");
        Files.writeString(tokenFile, TOKEN);
        try (AgentRig rig = new AgentRig(dir.resolve("rig"));
             HeadlessChromium chromium = HeadlessChromium.start(dir.resolve("chromium"))) {
            GatewayAdmin gw = rig.admin;
            long v0 = gw.version();
            AgentProcess agent = rig.agent("agent", null, "--dashboard-port", "0", "--dashboard-host", "127.0.0.1",
                    "--dashboard-token-file", tokenFile.toString());
            String url = agent.awaitLine(l -> l.startsWith("qp agent: dashboard on "), SECONDS)
                    .substring("qp agent: dashboard on ".length());
            // under the agent's 0.8 confidence gate: it waits for an operator
            Recommendation r = Scenario.rec(AgentRig.NODE, "compression_threshold", 0, 1024, 0.5, 0.3, "bytes", v0,
                    System.currentTimeMillis());
            rig.publish(r);
            assertThat(rig.awaitStatusBeyond(r, Set.of("pending"))).isEqualTo("rejected");
            String id = "x-" + r.id();
            String row = "#opts tr[data-id=\"" + r.id() + "\"]";

            try (BrowserPage page = chromium.newPage(true)) {
                page.navigate(url);
                page.waitUntil("!document.getElementById('login').hidden", SECONDS);
                page.eval("document.getElementById('token').value = '" + TOKEN + "';"
                        + "document.querySelector('#login-form button').click(); true");
                page.waitUntil("document.querySelector('" + row + " button[data-action=apply]') !== null", SECONDS);
                page.eval("document.querySelector('" + row + " button[data-action=apply]').click(); true");
                page.waitUntil("document.getElementById('result').textContent.includes('apply " + r.id() + "')", SECONDS);
                assertThat(page.eval("document.getElementById('result').className").asText())
                        .as(page.eval("document.getElementById('result').textContent").asText()).isEqualTo("done");

                GatewayAdmin.Answer running = gw.experiment();
                assertThat(running.status()).as("the gateway runs the experiment: " + running.body()).isEqualTo(200);
                JsonNode e = running.body().path("experiment");
                assertThat(e.path("id").asText()).isEqualTo(id);
                assertThat(e.path("parameter").asText()).isEqualTo("compression_threshold");
                assertThat(e.path("treatment").asLong()).isEqualTo(1024);
                assertThat(gw.version()).isEqualTo(v0 + 1);
                assertThat(rig.optimization(r, "status")).isEqualTo("applied");
                assertThat(rig.optimization(r, "actor")).isEqualTo("dashboard");

                page.waitUntil("document.querySelector('" + row + " button[data-action=rollback]') !== null", SECONDS);
                page.eval("document.querySelector('" + row + " button[data-action=rollback]').click(); true");
                page.waitUntil("document.getElementById('result').textContent.includes('rollback " + r.id() + "')",
                        SECONDS);
                assertThat(page.eval("document.getElementById('result').className").asText())
                        .as(page.eval("document.getElementById('result').textContent").asText()).isEqualTo("done");
                assertThat(page.consoleErrors()).as("console errors").isEmpty();
            }

            GatewayAdmin.Answer after = gw.experiment();
            assertThat(after.status()).as("ended on the gateway: " + after.body()).isEqualTo(404);
            assertThat(after.body().path("lastEnded").path("id").asText()).isEqualTo(id);
            assertThat(after.body().path("lastEnded").path("outcome").asText()).isEqualTo("control");
            JsonNode params = gw.params();
            assertThat(params.path("params").path("compression_threshold").asText()).isEqualTo("off");
            assertThat(params.path("version").asLong()).isEqualTo(v0 + 2);
            assertThat(rig.optimization(r, "status")).isEqualTo("rolled_back");
            assertThat(rig.experiment(r, "verdict")).isEqualTo("stopped");
            agent.stop();
        }
    }
}
