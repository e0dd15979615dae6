package qp.gateway.events;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Asks, without blocking the caller, whether Kafka is back: every partition of the emitter's topics has a leader.
 * A cluster that answers but does not have the topics yet counts as back (the producer creates them, or fails
 * and the emitter goes back to spooling).
 */
final class KafkaProbe implements KafkaLiveness {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KafkaProbe.class);
    private final String bootstrapServers;
    private final List<String> topics;
    private final int timeoutMs;
    private Admin admin;
    private KafkaFuture<Map<String, TopicDescription>> pending;

    KafkaProbe(String bootstrapServers, List<String> topics, int timeoutMs) {
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public void start() {
        if (pending != null) {
            return;
        }
        if (admin == null) {
            admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    AdminClientConfig.CLIENT_ID_CONFIG, "qp-emitter-probe",
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                    AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000));
        }
        pending = admin.describeTopics(topics, new DescribeTopicsOptions().timeoutMs(timeoutMs)).allTopicNames();
    }

    @Override
    public boolean running() {
        return pending != null;
    }

    @Override
    public Boolean result() {
        if (pending == null || !pending.isDone()) {
            return null;
        }
        KafkaFuture<Map<String, TopicDescription>> f = pending;
        pending = null;
        try {
            return f.get().values().stream()
                    .flatMap(d -> d.partitions().stream())
                    .allMatch(KafkaProbe::hasLeader);
        } catch (ExecutionException e) {
            LOG.debug("Kafka at {} not back yet: {}", bootstrapServers, e.getCause().toString());
            return e.getCause() instanceof UnknownTopicOrPartitionException;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean hasLeader(TopicPartitionInfo p) {
        return p.leader() != null && !p.leader().isEmpty();
    }

    @Override
    public void forget() {
        pending = null;
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close(java.time.Duration.ZERO); // nothing of value is pending; the sender thread must not wait
            admin = null;
        }
        pending = null;
    }
}
