package qp.protocol.export;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One line of an export file (DESIGN.md, "Export files"): one Kafka record as it was read.
 * {@code {"topic":"qp.frames","partition":0,"offset":123,"key":"c7","timestampMillis":1796036267882,"value":{...}}},
 * where {@code value} is the record's JSON as it is on the topic.
 */
public record ExportRecord(String topic, int partition, long offset, String key, long timestampMillis, JsonNode value) {
}
