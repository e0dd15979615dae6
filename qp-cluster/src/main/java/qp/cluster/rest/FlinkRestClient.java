package qp.cluster.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import qp.protocol.json.QpJson;

/**
 * The few calls of Flink's REST API that running QP's job needs: cluster overview, jar upload and run, the list of
 * jobs, stop-with-savepoint and its status. Every failure is a {@link FlinkRestException} that names the call and the
 * cluster's answer; a cluster that does not answer at all gets a message saying how to start one.
 */
public final class FlinkRestClient {
    private final URI base;
    private final HttpClient http;
    private final Duration requestTimeout;

    public FlinkRestClient(String baseUrl, Duration requestTimeout) {
        String url = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        try {
            this.base = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new FlinkRestException("'" + baseUrl + "' is not a URL; give the REST address like http://localhost:8081");
        }
        if (base.getScheme() == null || base.getHost() == null) {
            throw new FlinkRestException("'" + baseUrl + "' is not a URL; give the REST address like http://localhost:8081");
        }
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public String baseUrl() {
        return base.toString();
    }

    /** {@code GET /overview}: task managers, slots, running jobs, Flink version. */
    public ClusterOverview overview() {
        JsonNode o = send("GET", "/overview", HttpRequest.BodyPublishers.noBody(), null);
        return new ClusterOverview(o.path("taskmanagers").asInt(), o.path("slots-total").asInt(),
                o.path("slots-available").asInt(), o.path("jobs-running").asInt(), o.path("flink-version").asText());
    }

    /** {@code POST /jars/upload}; returns the jar id the cluster gave it. */
    public String uploadJar(Path jar) {
        String boundary = "qp-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                    + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.write(Files.readAllBytes(jar));
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new FlinkRestException("cannot read the job jar " + jar + ": " + e.getMessage(), e);
        }
        JsonNode answer = send("POST", "/jars/upload", HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()),
                "multipart/form-data; boundary=" + boundary);
        String file = answer.path("filename").asText("");
        if (!"success".equals(answer.path("status").asText()) || file.isEmpty()) {
            throw new FlinkRestException("the cluster at " + base + " did not accept " + jar + ": " + answer);
        }
        return Path.of(file).getFileName().toString();
    }

    /** {@code POST /jars/{id}/run}; returns the new job's id. */
    public String runJar(String jarId, RunRequest run) {
        ObjectNode body = QpJson.object();
        body.put("entryClass", run.entryClass());
        body.putArray("programArgsList").addAll(run.programArgs().stream()
                .map(a -> (JsonNode) QpJson.mapper().getNodeFactory().textNode(a)).toList());
        if (run.savepointPath() != null) {
            body.put("savepointPath", run.savepointPath());
            body.put("allowNonRestoredState", run.allowNonRestoredState());
        }
        JsonNode answer = sendJson("POST", "/jars/" + jarId + "/run", body);
        String jobId = answer.path("jobid").asText("");
        if (jobId.isEmpty()) {
            throw new FlinkRestException("the cluster at " + base + " ran the jar but gave no job id: " + answer);
        }
        return jobId;
    }

    /** {@code DELETE /jars/{id}}: the uploaded copy is not needed once the job runs. */
    public void deleteJar(String jarId) {
        send("DELETE", "/jars/" + jarId, HttpRequest.BodyPublishers.noBody(), null);
    }

    /** {@code GET /jobs/overview}. */
    public List<JobSummary> jobs() {
        List<JobSummary> jobs = new ArrayList<>();
        for (JsonNode j : send("GET", "/jobs/overview", HttpRequest.BodyPublishers.noBody(), null).path("jobs")) {
            jobs.add(new JobSummary(j.path("jid").asText(), j.path("name").asText(), j.path("state").asText()));
        }
        return jobs;
    }

    /** {@code GET /jobs/{id}}: the job's state (RUNNING, FINISHED, FAILED, ...). */
    public String jobState(String jobId) {
        return send("GET", "/jobs/" + jobId, HttpRequest.BodyPublishers.noBody(), null).path("state").asText();
    }

    /** {@code GET /jobs/{id}}: whether every task of every vertex runs (a savepoint needs them all running). */
    public boolean allTasksRunning(String jobId) {
        JsonNode vertices = send("GET", "/jobs/" + jobId, HttpRequest.BodyPublishers.noBody(), null).path("vertices");
        if (vertices.isEmpty()) {
            return false;
        }
        for (JsonNode v : vertices) {
            if (!"RUNNING".equals(v.path("status").asText())) {
                return false;
            }
        }
        return true;
    }

    /** {@code PATCH /jobs/{id}?mode=cancel}: ends the job without a savepoint. */
    public void cancel(String jobId) {
        send("PATCH", "/jobs/" + jobId + "?mode=cancel", HttpRequest.BodyPublishers.noBody(), null);
    }

    /** {@code GET /jobs/{id}/exceptions}: the lines of the latest failure that say why, or "" when there is none. */
    public String failureCause(String jobId) {
        JsonNode e = send("GET", "/jobs/" + jobId + "/exceptions", HttpRequest.BodyPublishers.noBody(), null);
        String trace = e.path("root-exception").asText("");
        JsonNode entries = e.path("exceptionHistory").path("entries");
        if (trace.isEmpty() && entries.size() > 0) {
            trace = entries.get(0).path("stacktrace").asText("");
        }
        List<String> lines = new ArrayList<>();
        for (String line : trace.split("\n")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("at ") && !l.startsWith("...") && lines.size() < 8) {
                lines.add(l);
            }
        }
        return String.join("\n  ", lines);
    }

    /** {@code POST /jobs/{id}/stop} without draining; returns the trigger id to poll. {@code targetDir} may be null. */
    public String stopWithSavepoint(String jobId, String targetDir) {
        ObjectNode body = QpJson.object();
        body.put("drain", false);
        if (targetDir != null) {
            body.put("targetDirectory", targetDir);
        }
        return sendJson("POST", "/jobs/" + jobId + "/stop", body).path("request-id").asText();
    }

    /** {@code GET /jobs/{id}/savepoints/{trigger}}. */
    public SavepointStatus savepointStatus(String jobId, String triggerId) {
        JsonNode s = send("GET", "/jobs/" + jobId + "/savepoints/" + triggerId, HttpRequest.BodyPublishers.noBody(), null);
        if (!"COMPLETED".equals(s.path("status").path("id").asText())) {
            return SavepointStatus.inProgress();
        }
        JsonNode op = s.path("operation");
        if (op.hasNonNull("location")) {
            return SavepointStatus.completed(op.path("location").asText());
        }
        JsonNode cause = op.path("failure-cause");
        String text = cause.path("serialized-throwable").isMissingNode() ? cause.toString() : cause.path("class").asText();
        return SavepointStatus.failed(firstLines(cause.path("stack-trace").asText(text), 6));
    }

    private JsonNode sendJson(String method, String path, ObjectNode body) {
        return send(method, path, HttpRequest.BodyPublishers.ofByteArray(QpJson.bytes(body)), "application/json");
    }

    private JsonNode send(String method, String path, HttpRequest.BodyPublisher body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(requestTimeout)
                .method(method, body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new FlinkRestException("cannot reach the Flink cluster at " + base + " (" + describe(e)
                    + "): is it running? Start one with `bin/qp cluster start`, or give its address with --rest-url", e);
        } catch (IOException e) {
            throw new FlinkRestException(method + " " + path + " on " + base + " failed: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlinkRestException(method + " " + path + " on " + base + " was interrupted", e);
        }
        JsonNode json;
        try {
            json = response.body().length == 0 ? QpJson.object() : QpJson.tree(response.body());
        } catch (IOException e) {
            throw new FlinkRestException(method + " " + path + " on " + base + " answered HTTP " + response.statusCode()
                    + " with something that is not JSON: is " + base + " a Flink REST address?", e);
        }
        if (response.statusCode() >= 300) {
            throw new FlinkRestException(method + " " + path + " on " + base + " failed (HTTP " + response.statusCode()
                    + "): " + errors(json));
        }
        return json;
    }

    /** Flink answers {"errors": [...]}; the entries can be whole stack traces: keep the lines that say why. */
    static String errors(JsonNode json) {
        List<String> lines = new ArrayList<>();
        for (JsonNode e : json.path("errors")) {
            for (String line : e.asText().split("\n")) {
                String l = line.strip();
                if (!l.isEmpty() && !l.startsWith("at ") && !l.startsWith("...") && !lines.contains(l)) {
                    lines.add(l);
                }
            }
        }
        return lines.isEmpty() ? json.toString() : String.join("\n  ", lines.subList(0, Math.min(lines.size(), 12)));
    }

    private static String firstLines(String text, int n) {
        String[] lines = text.split("\n");
        return String.join("\n", java.util.Arrays.copyOf(lines, Math.min(n, lines.length)));
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The cluster at a glance. */
    public record ClusterOverview(int taskManagers, int slotsTotal, int slotsAvailable, int jobsRunning,
            String flinkVersion) {
    }

    /** One line of {@code /jobs/overview}. */
    public record JobSummary(String id, String name, String state) {
    }

    /** What {@link #runJar} starts. {@code savepointPath} null = a fresh start. */
    public record RunRequest(String entryClass, List<String> programArgs, String savepointPath,
            boolean allowNonRestoredState) {
    }

    /** A savepoint being written, written (location) or failed (reason). */
    public record SavepointStatus(boolean done, String location, String failure) {
        static SavepointStatus inProgress() {
            return new SavepointStatus(false, null, null);
        }

        static SavepointStatus completed(String location) {
            return new SavepointStatus(true, location, null);
        }

        static SavepointStatus failed(String reason) {
            return new SavepointStatus(true, null, reason);
        }
    }
}
