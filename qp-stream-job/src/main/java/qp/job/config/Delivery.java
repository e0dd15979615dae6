package qp.job.config;

import org.apache.flink.connector.base.DeliveryGuarantee;

/** The delivery guarantee of the Kafka sinks. */
public enum Delivery {
    /** Kafka transactions committed on checkpoints: readers with read_committed see each result once. */
    EXACTLY_ONCE(DeliveryGuarantee.EXACTLY_ONCE),
    /** Flushed on checkpoints; a restart may write a result again. */
    AT_LEAST_ONCE(DeliveryGuarantee.AT_LEAST_ONCE);

    private final DeliveryGuarantee flink;

    Delivery(DeliveryGuarantee flink) {
        this.flink = flink;
    }

    public DeliveryGuarantee flink() {
        return flink;
    }
}
