package qp.gateway.events;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One producer, from its creation to the outage that aborts it, and the first error its sends reported. Each
 * outage ends the link and the next one starts clean: a callback of an aborted producer that runs late (a
 * {@code MockProducer}'s can, a real one's cannot: its close joins the I/O thread) marks only its own dead link.
 */
final class ProducerLink {
    private static final Logger LOG = LoggerFactory.getLogger(ProducerLink.class);

    private final Producer<byte[], byte[]> producer;
    private final AtomicReference<String> failure = new AtomicReference<>();
    /** one callback for every send: no lambda allocated per record */
    private final Consumer<Exception> onRetriableError = e -> failure.compareAndSet(null, InFlight.describe(e));

    ProducerLink(Producer<byte[], byte[]> producer) {
        this.producer = producer;
    }

    /** Hands one record to the producer; an error is reported to the returned record, never thrown. */
    InFlight send(OutRecord r, String topic, boolean fromSpool, long nowNanos) {
        InFlight f = new InFlight(r, fromSpool, nowNanos, onRetriableError);
        try {
            producer.send(new ProducerRecord<>(topic, null, timestamp(r), r.key(), r.value()), f);
        } catch (RuntimeException e) { // the producer reports most errors to the callback; some it throws
            f.onCompletion(null, e);
        }
        return f;
    }

    /** The first error that says Kafka is away, or null. */
    String failure() {
        return failure.get();
    }

    /** Closes the producer at once: everything it still holds fails now, in one go (ordering rule 3). */
    void abort() {
        try {
            producer.close(Duration.ZERO); // returns after every callback ran
        } catch (RuntimeException e) {
            LOG.debug("closing the producer", e);
        }
    }

    /** The event's time; null (the producer's clock) when it is not a usable epoch time. */
    private static Long timestamp(OutRecord r) {
        return r.timestampMillis() > 0 ? r.timestampMillis() : null;
    }
}
