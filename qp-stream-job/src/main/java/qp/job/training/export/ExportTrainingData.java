package qp.job.training.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import qp.job.io.RecordCheck;
import qp.job.training.NodeInput;
import qp.job.training.TrafficFeatures;
import qp.job.training.TrainingRow;
import qp.protocol.analytics.WindowStats;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;
import qp.protocol.export.ExportFormatException;
import qp.protocol.export.ExportReader;
import qp.protocol.export.ExportRecord;
import qp.protocol.json.QpJson;

/**
 * The training data in an export file, per node: replied IN frames joined with the node's sample of that second (or
 * the latest before it), in event-time order, and the node's tumbling all-types windows for the anomaly model.
 * A record that does not read as its topic's type is an error naming the file and line.
 */
public final class ExportTrainingData {
    /**
     * One node's data, each list in time order: {@code rows} of received frames that got a reply, {@code outbound} of
     * sent frames the compression threshold governs ({@link TrainingRow#outbound}).
     */
    public record NodeData(List<TrainingRow> rows, List<TrainingRow> outbound, List<NodeMetrics> samples,
            List<WindowStats> windows) {
    }

    private ExportTrainingData() {
    }

    public static Map<String, NodeData> read(Path file, String framesTopic, String metricsTopic, String windowsTopic)
            throws IOException {
        Map<String, List<FrameEvent>> frames = new TreeMap<>();
        Map<String, List<NodeMetrics>> samples = new TreeMap<>();
        Map<String, List<WindowStats>> windows = new TreeMap<>();
        try (ExportReader in = ExportReader.open(file)) {
            for (ExportRecord r; (r = in.next()) != null; ) {
                if (r.topic().equals(framesTopic)) {
                    FrameEvent f = value(r, FrameEvent.class, RecordCheck.frames(), file, in.lineNumber());
                    if (NodeInput.usable(f)) {
                        frames.computeIfAbsent(f.nodeId(), n -> new ArrayList<>()).add(f);
                    }
                } else if (r.topic().equals(metricsTopic)) {
                    NodeMetrics m = value(r, NodeMetrics.class, RecordCheck.nodeMetrics(), file, in.lineNumber());
                    samples.computeIfAbsent(m.nodeId(), n -> new ArrayList<>()).add(m);
                } else if (r.topic().equals(windowsTopic)) {
                    WindowStats w = value(r, WindowStats.class, s -> s.nodeId() == null ? "missing nodeId" : null, file,
                            in.lineNumber());
                    if (TrafficFeatures.usable(w)) {
                        windows.computeIfAbsent(w.nodeId(), n -> new ArrayList<>()).add(w);
                    }
                }
            }
        }
        Map<String, NodeData> out = new TreeMap<>();
        for (String node : union(frames, samples, windows)) {
            List<NodeMetrics> ms = new ArrayList<>(samples.getOrDefault(node, List.of()));
            ms.sort(Comparator.comparingLong(NodeMetrics::timestampMillis));
            List<FrameEvent> fs = new ArrayList<>(frames.getOrDefault(node, List.of()));
            fs.sort(Comparator.comparingLong(FrameEvent::eventTimeMillis));
            List<TrainingRow> rows = new ArrayList<>();
            List<TrainingRow> outbound = new ArrayList<>();
            int next = 0;
            NodeMetrics current = null;
            for (FrameEvent f : fs) {
                long endOfSecond = f.eventTimeMillis() / 1000 * 1000 + 999;
                while (next < ms.size() && ms.get(next).timestampMillis() <= endOfSecond) {
                    current = ms.get(next++);
                }
                if (current != null) {
                    (TrainingRow.usable(f) ? rows : outbound).add(TrainingRow.of(f, current));
                }
            }
            List<WindowStats> ws = new ArrayList<>(windows.getOrDefault(node, List.of()));
            ws.sort(Comparator.comparingLong(WindowStats::windowStartMillis));
            out.put(node, new NodeData(rows, outbound, ms, ws));
        }
        return out;
    }

    private static <T> T value(ExportRecord r, Class<T> type, RecordCheck<T> check, Path file, long line)
            throws ExportFormatException {
        T v;
        try {
            v = QpJson.mapper().treeToValue(r.value(), type);
        } catch (JsonProcessingException e) {
            throw new ExportFormatException(file + ": line " + line + " is not a " + type.getSimpleName() + " ("
                    + e.getOriginalMessage() + ")", line);
        }
        String problem = check.problem(v);
        if (problem != null) {
            throw new ExportFormatException(file + ": line " + line + " is not a usable " + type.getSimpleName()
                    + " (" + problem + ")", line);
        }
        return v;
    }

    @SafeVarargs
    private static java.util.Set<String> union(Map<String, ?>... maps) {
        java.util.Set<String> keys = new java.util.TreeSet<>();
        for (Map<String, ?> m : maps) {
            keys.addAll(m.keySet());
        }
        return keys;
    }
}
