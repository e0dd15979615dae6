package qp.agent.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import qp.protocol.json.QpJson;

/** One browser tab: navigate, run JavaScript, wait for conditions, collect console errors, take screenshots. */
public final class BrowserPage implements AutoCloseable {
    private final Cdp cdp;
    private final List<String> consoleErrors = new CopyOnWriteArrayList<>();
    private final AtomicInteger loads = new AtomicInteger();

    BrowserPage(Cdp cdp) {
        this.cdp = cdp;
        cdp.onEvent((method, params) -> {
            switch (method) {
                case "Runtime.consoleAPICalled" -> {
                    String type = params.path("type").asText();
                    if (type.equals("error") || type.equals("assert")) {
                        consoleErrors.add("console." + type + ": " + params.path("args"));
                    }
                }
                case "Runtime.exceptionThrown" -> consoleErrors.add("exception: " + params.path("exceptionDetails"));
                case "Log.entryAdded" -> {
                    JsonNode e = params.path("entry");
                    if (e.path("level").asText().equals("error")) {
                        consoleErrors.add("log: " + e.path("text").asText() + " " + e.path("url").asText());
                    }
                }
                case "Page.loadEventFired" -> loads.incrementAndGet();
                default -> {
                }
            }
        });
        cdp.send("Runtime.enable");
        cdp.send("Log.enable");
        cdp.send("Page.enable");
        cdp.send("Emulation.setDeviceMetricsOverride", QpJson.object().put("width", 1400).put("height", 1000)
                .put("deviceScaleFactor", 1).put("mobile", false));
    }

    public void navigate(String url) {
        int before = loads.get();
        cdp.send("Page.navigate", QpJson.object().put("url", url));
        await().atMost(Duration.ofSeconds(30)).until(() -> loads.get() > before);
    }

    /** Runs an expression (promises awaited) and returns its value as JSON. */
    public JsonNode eval(String expression) {
        JsonNode r = cdp.send("Runtime.evaluate", QpJson.object().put("expression", expression)
                .put("returnByValue", true).put("awaitPromise", true));
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException("page threw on `" + expression + "`: " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /** Waits until the expression is truthy. */
    public void waitUntil(String expression, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    JsonNode v = eval("Boolean(" + expression + ")");
                    return v.asBoolean();
                });
    }

    public List<String> consoleErrors() {
        return List.copyOf(consoleErrors);
    }

    public void clearConsoleErrors() {
        consoleErrors.clear();
    }

    /** A PNG of the whole page. */
    public void screenshot(Path file) throws java.io.IOException {
        JsonNode metrics = cdp.send("Page.getLayoutMetrics");
        int height = (int) Math.ceil(metrics.path("cssContentSize").path("height").asDouble(1000));
        cdp.send("Emulation.setDeviceMetricsOverride", QpJson.object().put("width", 1400).put("height", Math.max(height, 600))
                .put("deviceScaleFactor", 1).put("mobile", false));
        String png = cdp.send("Page.captureScreenshot", QpJson.object().put("format", "png")).get("data").asText();
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(png));
    }

    @Override
    public void close() {
        try {
            cdp.send("Page.close");
        } catch (RuntimeException e) {
            // the tab is gone already
        }
        cdp.close();
    }
}
