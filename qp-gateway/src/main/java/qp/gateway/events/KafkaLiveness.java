package qp.gateway.events;

/** Asks, without blocking the caller, whether Kafka can take records. {@link KafkaProbe} is the real one. */
interface KafkaLiveness extends AutoCloseable {

    /** Starts a question unless one is running; throws a KafkaException when it cannot even be asked. */
    void start();

    boolean running();

    /** Null while the question runs; then true when Kafka can take records, false when not. */
    Boolean result();

    /** Drops the answer of a question in progress. */
    void forget();

    @Override
    void close();
}
