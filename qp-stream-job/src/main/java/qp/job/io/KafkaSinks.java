package qp.job.io;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import qp.job.config.Delivery;
import qp.job.config.JobConfig;
import qp.job.config.JobOptions;

/**
 * The job's Kafka sinks: JSON values, keys per DESIGN.md, exactly-once by default (a Kafka transaction per
 * checkpoint; readers with read_committed see each result once). Each sink has its own transactional id prefix.
 */
public final class KafkaSinks implements JobSinks {
    private final JobConfig config;

    public KafkaSinks(JobConfig config) {
        this.config = config;
    }

    @Override
    public <T> Sink<T> sink(JobOutput<T> output) {
        Delivery delivery = config.get(JobOptions.DELIVERY);
        return KafkaSink.<T>builder()
                .setBootstrapServers(config.get(JobOptions.BOOTSTRAP_SERVERS))
                .setRecordSerializer(new JsonRecordSerializer<>(config.get(output.topic()), output.keyOf()))
                .setDeliveryGuarantee(delivery.flink())
                .setTransactionalIdPrefix(config.get(JobOptions.TRANSACTIONAL_ID_PREFIX) + "-" + output.name())
                .setProperty("transaction.timeout.ms",
                        String.valueOf(config.get(JobOptions.TRANSACTION_TIMEOUT).toMillis()))
                .setProperty("linger.ms", "20")
                .setProperty("compression.type", "lz4")
                .build();
    }
}
