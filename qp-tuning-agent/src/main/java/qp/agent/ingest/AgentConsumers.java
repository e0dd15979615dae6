package qp.agent.ingest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import qp.agent.config.AgentConfig;
import qp.agent.config.AgentOptions;

/**
 * What the agent's Kafka consumers share: read_committed, offsets committed by hand after the store has the records,
 * and static group membership. A restarted agent (after a crash or kill -9) rejoins under the same
 * {@code group.instance.id} and gets its partitions back at once, instead of waiting out the dead member's session
 * (45 s by default) while its experiments run without their windows. The id is derived from the group and the
 * store's path: one agent per store.
 */
final class AgentConsumers {
    private AgentConsumers() {
    }

    static Properties properties(AgentConfig config, String purpose) {
        String group = config.get(AgentOptions.GROUP_ID) + "-" + purpose;
        String store = Path.of(config.get(AgentOptions.DB)).toAbsolutePath().normalize().toString();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get(AgentOptions.KAFKA));
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, group + "-"
                + UUID.nameUUIDFromBytes(store.getBytes(StandardCharsets.UTF_8)).toString().substring(0, 8));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return p;
    }
}
