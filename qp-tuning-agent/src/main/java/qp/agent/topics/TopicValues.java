package qp.agent.topics;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import qp.protocol.events.EventDecodeException;
import qp.protocol.events.EventEncoding;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.FrameEventCodec;
import qp.protocol.events.NodeMetrics;
import qp.protocol.events.NodeMetricsCodec;
import qp.protocol.json.QpJson;

/**
 * How the values of each topic are read and written: frame events and node samples by their codecs (binary, or the JSON
 * written before it, docs/EVENT-ENCODING.md), every other topic as JSON. One place for the agent's ingest, export,
 * replay and tail.
 */
public final class TopicValues {
    private final String framesTopic;
    private final String nodeMetricsTopic;

    public TopicValues(String framesTopic, String nodeMetricsTopic) {
        this.framesTopic = framesTopic;
        this.nodeMetricsTopic = nodeMetricsTopic;
    }

    /** The default topic names, {@code qp.frames} and {@code qp.node-metrics}. */
    public static TopicValues defaults() {
        return new TopicValues("qp.frames", "qp.node-metrics");
    }

    public boolean isFrames(String topic) {
        return framesTopic.equals(topic);
    }

    public boolean isNodeMetrics(String topic) {
        return nodeMetricsTopic.equals(topic);
    }

    /** A frame event in binary or JSON; throws {@link EventDecodeException} with the reason. */
    public static FrameEvent frame(byte[] value) {
        return FrameEventCodec.decode(value);
    }

    /** A node sample in binary or JSON; throws {@link EventDecodeException} with the reason. */
    public static NodeMetrics nodeMetrics(byte[] value) {
        return NodeMetricsCodec.decode(value);
    }

    /**
     * The value as the JSON it is, or for a binary event the JSON the gateway wrote before the binary encoding (the
     * same fields in the same order). Throws {@link EventDecodeException} or {@link IOException} with the reason when
     * it cannot be read.
     */
    public JsonNode json(String topic, byte[] value) throws IOException {
        if (EventEncoding.formatOf(value) == EventEncoding.Format.JSON) {
            return QpJson.tree(value); // as it is on the topic, whichever topic
        }
        if (isFrames(topic)) {
            return QpJson.mapper().valueToTree(frame(value));
        }
        if (isNodeMetrics(topic)) {
            return QpJson.mapper().valueToTree(nodeMetrics(value));
        }
        return QpJson.tree(value);
    }

    /**
     * The record's value as today's gateways put it on the topic: events in the binary encoding, anything else as JSON.
     * An event the binary encoding cannot hold (a not-null field missing, as in a hand-written or very old record)
     * stays JSON, which every reader still reads, rather than being lost.
     */
    public byte[] bytes(String topic, JsonNode value) {
        try {
            if (isFrames(topic)) {
                return FrameEventCodec.encode(QpJson.mapper().treeToValue(value, FrameEvent.class));
            }
            if (isNodeMetrics(topic)) {
                return NodeMetricsCodec.encode(QpJson.mapper().treeToValue(value, NodeMetrics.class));
            }
        } catch (IOException | IllegalArgumentException e) {
            return QpJson.bytes(value);
        }
        return QpJson.bytes(value);
    }
}
