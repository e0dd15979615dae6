package qp.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the demo has read from the job's topics so far; every method is synchronized (one reader, one printer). */
final class LoopState {
    record Window(String node, String type, long startMillis, long endMillis, long count, long bytes) {
    }

    record AnomalySeen(String node, String kind, String type, long startMillis, long endMillis, String detail) {
    }

    record ModelSeen(String name, String node, String version, boolean published, Double r2, Double scoreThreshold, long rows) {
    }

    record RecommendationSeen(String id, String node, String parameter, long current, long proposed, String source,
                              double confidence, long createdAtMillis) {
    }

    private final List<Window> windows = new ArrayList<>();
    private final List<AnomalySeen> anomalies = new ArrayList<>();
    private final Map<String, ModelSeen> models = new LinkedHashMap<>();
    private int modelVersions;
    private final List<RecommendationSeen> recommendations = new ArrayList<>();

    /** Forgets everything: the reader starts over from the beginning of the topics after an error. */
    synchronized void reset() {
        windows.clear();
        anomalies.clear();
        models.clear();
        modelVersions = 0;
        recommendations.clear();
    }

    /** The latest end of a window seen, 0 before any. */
    synchronized long latestWindowEndMillis() {
        return windows.stream().mapToLong(Window::endMillis).max().orElse(0);
    }

    synchronized void onRecord(String topic, JsonNode v) {
        switch (topic) {
            case DemoTopics.WINDOW_STATS -> windows.add(new Window(v.path("nodeId").asText(), v.path("type").asText(),
                    v.path("windowStartMillis").asLong(), v.path("windowEndMillis").asLong(), v.path("count").asLong(),
                    v.path("bytes").asLong()));
            case DemoTopics.ANOMALIES -> anomalies.add(new AnomalySeen(v.path("nodeId").asText(), v.path("kind").asText(),
                    v.path("type").asText(null), v.path("windowStartMillis").asLong(), v.path("windowEndMillis").asLong(),
                    v.path("detail").asText("")));
            case DemoTopics.MODELS -> {
                modelVersions++;
                ModelSeen m = new ModelSeen(v.path("name").asText(), v.path("nodeId").asText("all"), v.path("version").asText(),
                        v.path("published").asBoolean(true), v.hasNonNull("r2") ? v.get("r2").asDouble() : null,
                        v.hasNonNull("scoreThreshold") ? v.get("scoreThreshold").asDouble() : null, v.path("rows").asLong());
                models.put(m.name() + "@" + m.node(), m);
            }
            case DemoTopics.RECOMMENDATIONS -> recommendations.add(new RecommendationSeen(v.path("id").asText(null),
                    v.path("nodeId").asText(), v.path("parameter").asText(), v.path("currentValue").asLong(),
                    v.path("proposedValue").asLong(), v.path("source").asText("rules"), v.path("confidence").asDouble(),
                    v.path("createdAtMillis").asLong()));
            default -> {
            }
        }
    }

    synchronized long windowCount() {
        return windows.size();
    }

    synchronized List<AnomalySeen> anomalies() {
        return List.copyOf(anomalies);
    }

    synchronized Map<String, Long> anomaliesByKind() {
        Map<String, Long> m = new TreeMap<>();
        anomalies.forEach(a -> m.merge(a.kind(), 1L, Long::sum));
        return m;
    }

    synchronized List<ModelSeen> models() {
        return List.copyOf(models.values());
    }

    synchronized int modelVersions() {
        return modelVersions;
    }

    synchronized List<RecommendationSeen> recommendations() {
        return List.copyOf(recommendations);
    }
}
