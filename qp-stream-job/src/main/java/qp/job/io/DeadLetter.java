package qp.job.io;

/**
 * An input record the job could not read: the record of topic {@code qp.dlq}. The raw value is kept as text when it
 * is valid UTF-8, else as base64, so a person can see what came and a tool can replay it.
 *
 * @param topic            the topic the record came from
 * @param partition        its partition
 * @param offset           its offset
 * @param timestampMillis  the Kafka record timestamp
 * @param reason           why it could not be read: the parser's message, or the field that was missing
 * @param valueText        the raw value when it was UTF-8 text, else null
 * @param valueBase64      the raw value in base64 when it was not text, else null
 */
public record DeadLetter(
        String topic,
        int partition,
        long offset,
        long timestampMillis,
        String reason,
        String valueText,
        String valueBase64) {
}
