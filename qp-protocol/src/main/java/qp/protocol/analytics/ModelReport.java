package qp.protocol.analytics;

import java.util.Map;

/**
 * One trained model version: the record of topic {@code qp.models}, keyed by model name. Written by the stream job's
 * training (and by {@code bin/qp train}), read by the agent's store, the CLI and the dashboard.
 *
 * @param name              the model's name: {@link #LATENCY} or {@link #TRAFFIC_ANOMALY}
 * @param nodeId            the node it was trained for, or {@link #ALL_NODES}
 * @param version           unique per name and node, increasing (e.g. {@code latency/edge-1/v3}); recommendations
 *                          made from it carry it as their {@code modelVersion}
 * @param algorithm         what was trained, as a person reads it ({@code random-forest 30 trees, depth 8})
 * @param trainedAtMillis   when training finished (processing time)
 * @param rows              rows the model saw in all (train + test)
 * @param trainRows         rows it was trained on
 * @param testRows          held-out rows it was scored on
 * @param published         true when it passed its gate and is now the node's model; false for a rejected version
 * @param r2                held-out R² (regression models), else null
 * @param maeMicros         held-out mean absolute error in microseconds (latency model), else null
 * @param scoreThreshold    the anomaly score above which a point is an outlier (anomaly models), else null
 * @param featureImportance feature name (see DESIGN/issue names: {@code payload_size}, {@code connections}, ...) to
 *                          permutation importance (the drop of the score when that feature is shuffled)
 * @param detail            a sentence: why it was published or rejected, with the numbers
 * @param modelBase64       the serialized model (Tribuo protobuf bytes, base64), so that it can be stored and loaded;
 *                          null for a rejected version
 */
public record ModelReport(
        String name,
        String nodeId,
        String version,
        String algorithm,
        long trainedAtMillis,
        long rows,
        long trainRows,
        long testRows,
        boolean published,
        Double r2,
        Double maeMicros,
        Double scoreThreshold,
        Map<String, Double> featureImportance,
        String detail,
        String modelBase64) {

    public static final String LATENCY = "latency";
    public static final String TRAFFIC_ANOMALY = "traffic-anomaly";
    public static final String ALL_NODES = "*";
}
