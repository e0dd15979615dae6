package qp.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import qp.protocol.json.QpJson;

/** Reads operator metrics the way the web UI does: through Flink's REST API. */
final class RestMetrics {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private RestMetrics() {
    }

    /**
     * The metrics of the vertex whose name contains {@code operator}, whose id has the form
     * {@code <operator>.<prefix><name>}: name to its maximum over the subtasks.
     */
    static Map<String, Double> operatorMetrics(String jobPath, String operator, String prefix)
            throws IOException, InterruptedException {
        String vertex = null;
        for (JsonNode v : get(jobPath).get("vertices")) {
            if (v.get("name").asText().contains(operator)) {
                vertex = v.get("id").asText();
            }
        }
        if (vertex == null) {
            throw new AssertionError("no vertex named like " + operator + " in " + jobPath);
        }
        String metrics = jobPath + "/vertices/" + vertex + "/subtasks/metrics";
        StringBuilder ids = new StringBuilder();
        String start = operator + "." + prefix;
        for (JsonNode m : get(metrics)) {
            String id = m.get("id").asText();
            if (id.startsWith(start)) {
                ids.append(ids.length() == 0 ? "" : ",").append(id);
            }
        }
        Map<String, Double> out = new HashMap<>();
        if (ids.length() == 0) {
            return out;
        }
        for (JsonNode m : get(metrics + "?agg=max&get=" + ids)) {
            out.put(m.get("id").asText().substring(start.length()), m.get("max").asDouble());
        }
        return out;
    }

    static JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new AssertionError(url + ": HTTP " + r.statusCode());
        }
        return QpJson.treeOf(r.body());
    }
}
