package qp.agent.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * By hand, against a running agent (not a test): drives its dashboard in headless Chromium the way an operator would
 * and prints what the page shows: log in, wait for the charts to take new windows, press Retrain, then Apply, Reject and
 * Roll back where the page offers them, and save a screenshot. Exit code 1 when the page logged console errors.
 * <pre>
 * java -cp "qp-tuning-agent/target/test-classes:$(bin/qp's agent class path)" qp.agent.testing.LiveDashboardTour \
 *     http://127.0.0.1:8090/ .qp/admin-token target/live-dashboard.png
 * </pre>
 */
public final class LiveDashboardTour {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private LiveDashboardTour() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: LiveDashboardTour URL TOKEN_FILE SCREENSHOT.png");
            System.exit(2);
        }
        String url = args[0];
        String token = Files.readString(Path.of(args[1]), StandardCharsets.UTF_8).strip();
        Path shot = Path.of(args[2]);
        Path profile = Files.createTempDirectory(shot.toAbsolutePath().getParent(), "chromium-");
        int errors;
        try (HeadlessChromium chromium = HeadlessChromium.start(profile); BrowserPage page = chromium.newPage(true)) {
            page.navigate(url);
            page.waitUntil("!document.getElementById('login').hidden", WAIT);
            page.eval("document.getElementById('token').value = '" + token.replace("'", "") + "';"
                    + "document.querySelector('#login-form button').click(); true");
            page.waitUntil("qpDashboard.status === 'live' && qpDashboard.snapshots > 0", WAIT);
            say("logged in; status " + text(page, "qpDashboard.status") + ", points per node "
                    + page.eval("JSON.stringify(qpDashboard.points)").asText());
            int before = page.eval("Object.values(qpDashboard.points).reduce((a, b) => a + b, 0)").asInt();
            try {
                page.waitUntil("Object.values(qpDashboard.points).reduce((a, b) => a + b, 0) > " + before, WAIT);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                say("no new window within " + WAIT.toSeconds() + " s (is traffic flowing?)");
            }
            say("charts: points per node " + page.eval("JSON.stringify(qpDashboard.points)").asText()
                    + " (" + page.eval("document.querySelectorAll('#nodes canvas').length").asInt() + " canvases)");
            say("figures: " + text(page, "[...document.querySelectorAll('#nodes .figures')].map(e => e.textContent).join(' | ')"));
            say("bigrams: " + text(page, "document.getElementById('bigrams').textContent").replaceAll("\\s+", " "));
            say("models: " + text(page, "document.getElementById('models').textContent").replaceAll("\\s+", " "));
            say("anomaly rows: " + page.eval("document.querySelectorAll('#anomalies tbody tr').length").asInt()
                    + ", optimization rows: " + page.eval("document.querySelectorAll('#opts tbody tr').length").asInt());
            say("optimizations: " + text(page, "[...document.querySelectorAll('#opts tbody tr')].slice(0, 5)"
                    + ".map(r => r.textContent.replace(/\\s+/g, ' ')).join(' || ')"));

            press(page, "document.getElementById('retrain')", "retrain");
            for (String action : new String[] {"apply", "reject", "rollback"}) {
                String button = "document.querySelector('button[data-action=" + action + "]')";
                if (page.eval("Boolean(" + button + ")").asBoolean()) {
                    press(page, button, action);
                } else {
                    say(action + ": no row offers it now");
                }
            }
            page.screenshot(shot);
            say("screenshot " + shot);
            errors = page.consoleErrors().size();
            page.consoleErrors().forEach(e -> say("console error: " + e));
        }
        System.exit(errors == 0 ? 0 : 1);
    }

    private static void press(BrowserPage page, String button, String what) {
        page.eval("document.getElementById('result').textContent = ''; true");
        String label = what.equals("retrain") ? "" : text(page, button + ".dataset.id");
        page.eval(button + ".click(); true");
        page.waitUntil("document.getElementById('result').textContent.length > 0", WAIT);
        say("pressed " + what + (label.isEmpty() ? "" : " on " + label) + ": "
                + text(page, "document.getElementById('result').className") + " | "
                + text(page, "document.getElementById('result').textContent"));
    }

    private static String text(BrowserPage page, String expression) {
        return page.eval("String(" + expression + ")").asText();
    }

    private static void say(String line) {
        System.out.println("tour: " + line);
    }
}
