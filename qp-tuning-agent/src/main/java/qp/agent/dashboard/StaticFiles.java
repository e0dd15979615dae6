package qp.agent.dashboard;

import io.undertow.server.HttpHandler;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The page's files, from the class path: ours under {@code qp/agent/dashboard/}, uPlot from its WebJar (the version is
 * read from the WebJar's own pom.properties, so an upgrade in the pom needs no change here).
 */
final class StaticFiles {
    private static final String OURS = "qp/agent/dashboard/";

    private StaticFiles() {
    }

    static HttpHandler handler() {
        String uplot = "META-INF/resources/webjars/uplot/" + webJarVersion("uplot") + "/dist/";
        Map<String, String[]> files = Map.of(
                "/", new String[] {OURS + "index.html", "text/html; charset=utf-8"},
                "/index.html", new String[] {OURS + "index.html", "text/html; charset=utf-8"},
                "/dashboard.js", new String[] {OURS + "dashboard.js", "text/javascript; charset=utf-8"},
                "/dashboard.css", new String[] {OURS + "dashboard.css", "text/css; charset=utf-8"},
                "/lib/uPlot.iife.min.js", new String[] {uplot + "uPlot.iife.min.js", "text/javascript; charset=utf-8"},
                "/lib/uPlot.min.css", new String[] {uplot + "uPlot.min.css", "text/css; charset=utf-8"});
        Map<String, byte[]> bodies = new java.util.HashMap<>();
        files.forEach((path, f) -> bodies.put(path, read(f[0])));
        return ex -> {
            String[] f = files.get(ex.getRelativePath());
            if (f == null) {
                DashboardServer.json(ex, StatusCodes.NOT_FOUND, DashboardServer.error("no such page"));
                return;
            }
            ex.getResponseHeaders().put(Headers.CONTENT_TYPE, f[1]);
            ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
            ex.getResponseSender().send(java.nio.ByteBuffer.wrap(bodies.get(ex.getRelativePath())));
        };
    }

    private static String webJarVersion(String artifact) {
        String props = "META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties";
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(props)) {
            if (in == null) {
                throw new IllegalStateException("the " + artifact + " WebJar is not on the class path (" + props + ")");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(String resource) {
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("dashboard file missing from the class path: " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
