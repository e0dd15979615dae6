package qp.broker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates topics given as {@code name} or {@code name:partitions}, leaving existing ones alone. Used by the test
 * broker and by {@code bin/qp kafka start}, which creates QP's topics before any job reads them: a topic that
 * appears while the job runs gets its partitions' readers at different moments, and the first seconds of the
 * later one arrive behind the watermark (late).
 */
public final class Topics {
    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(120);

    private Topics() {
    }

    public static void create(String bootstrapServers, String... topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            List<NewTopic> newTopics = Stream.of(topics).map(Topics::parse).toList();
            for (NewTopic t : newTopics) {
                try {
                    admin.createTopics(List.of(t)).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + t.name() + ": " + e.getCause().getMessage(),
                                e.getCause());
                    }
                }
            }
            awaitVisible(admin, newTopics);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until every topic is described with all its partitions: a created topic's metadata reaches the broker's
     * cache a moment after createTopics returns, and a client that uses it before then is told it does not exist.
     */
    private static void awaitVisible(Admin admin, List<NewTopic> topics) throws InterruptedException {
        List<String> names = topics.stream().map(NewTopic::name).toList();
        long deadline = System.nanoTime() + VISIBLE_WITHIN.toNanos();
        while (true) {
            try {
                Map<String, TopicDescription> d = admin.describeTopics(names).allTopicNames().get();
                if (d.values().stream().allMatch(t -> t.partitions().stream().allMatch(p -> p.leader() != null))) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("cannot describe topics " + names + ": " + e.getCause().getMessage(),
                            e.getCause());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topics " + names + " were created but not visible within "
                        + VISIBLE_WITHIN.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }

    static NewTopic parse(String spec) {
        String[] parts = spec.split(":");
        try {
            int partitions = parts.length > 1 ? Integer.parseInt(parts[1]) : 1;
            if (parts.length > 2 || parts[0].isBlank() || partitions < 1) {
                throw new NumberFormatException();
            }
            return new NewTopic(parts[0], partitions, (short) 1);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("topic '" + spec + "' is not NAME or NAME:PARTITIONS (partitions ≥ 1)");
        }
    }
}
