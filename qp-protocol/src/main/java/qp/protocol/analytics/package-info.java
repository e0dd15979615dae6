/**
 * The records the stream job's analytics write to Kafka ({@code qp.window-stats}, {@code qp.anomalies},
 * {@code qp.bigrams}, {@code qp.recommendations}) and the agent reads back. Fields are primitives, strings, enums,
 * lists and maps of those and nested records, so Flink serialises them as POJOs without a Kryo fallback.
 */
package qp.protocol.analytics;
