package qp.agent.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import qp.protocol.json.QpJson;

/**
 * A real headless Chromium (Debian's {@code chromium}, which .ci/run installs) driven over the DevTools protocol: one
 * browser per test class, a page (optionally in a browser context of its own: its own cookies) per check.
 */
public final class HeadlessChromium implements AutoCloseable {
    private static final List<String> CANDIDATES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome");

    private final Process process;
    private final int port;
    private final Cdp browser;

    private HeadlessChromium(Process process, int port, Cdp browser) {
        this.process = process;
        this.port = port;
        this.browser = browser;
    }

    public static HeadlessChromium start(Path profileDir) throws IOException {
        String binary = System.getenv("QP_CHROMIUM");
        if (binary == null) {
            binary = CANDIDATES.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElseThrow(() ->
                    new IllegalStateException("no Chromium found (" + CANDIDATES + "); apt-get install -y chromium, "
                            + "or set QP_CHROMIUM"));
        }
        Files.createDirectories(profileDir);
        Process p = new ProcessBuilder(binary, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--user-data-dir=" + profileDir.toAbsolutePath(), "--remote-debugging-port=0",
                "--window-size=1400,1000", "about:blank")
                .redirectErrorStream(true).redirectOutput(profileDir.resolve("chromium.log").toFile()).start();
        Path portFile = profileDir.resolve("DevToolsActivePort");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!p.isAlive()) {
                throw new IllegalStateException("chromium exited with " + p.exitValue() + "; see "
                        + profileDir.resolve("chromium.log"));
            }
            return Files.exists(portFile) && Files.readAllLines(portFile).size() >= 2;
        });
        List<String> lines = Files.readAllLines(portFile);
        int port = Integer.parseInt(lines.get(0).strip());
        return new HeadlessChromium(p, port, Cdp.connect(URI.create("ws://127.0.0.1:" + port + lines.get(1).strip())));
    }

    /** A new tab; {@code isolated} gives it cookies and storage of its own. */
    public BrowserPage newPage(boolean isolated) {
        var params = QpJson.object().put("url", "about:blank");
        if (isolated) {
            JsonNode ctx = browser.send("Target.createBrowserContext");
            params.put("browserContextId", ctx.get("browserContextId").asText());
        }
        String target = browser.send("Target.createTarget", params).get("targetId").asText();
        return new BrowserPage(Cdp.connect(URI.create("ws://127.0.0.1:" + port + "/devtools/page/" + target)));
    }

    @Override
    public void close() throws InterruptedException {
        try {
            browser.send("Browser.close");
        } catch (RuntimeException e) {
            // already gone; the process is ended below
        }
        browser.close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
