package qp.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BrokerConfigTest {

    @Test
    void fillsInPortsAndDataDirAndNothingIsLeftUnfilled() {
        String text = BrokerConfig.render(19092, 19093, Path.of("/tmp/qp-data"));
        assertThat(text).doesNotContain("${");
        Properties p = BrokerConfig.properties(19092, 19093, Path.of("/tmp/qp-data"));
        assertThat(p.getProperty("listeners")).isEqualTo("PLAINTEXT://localhost:19092,CONTROLLER://localhost:19093");
        assertThat(p.getProperty("controller.quorum.bootstrap.servers")).isEqualTo("localhost:19093");
        assertThat(p.getProperty("log.dirs")).isEqualTo("/tmp/qp-data");
        // DESIGN.md's verified settings
        assertThat(p).containsEntry("process.roles", "broker,controller").containsEntry("node.id", "1")
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1")
                .containsEntry("group.initial.rebalance.delay.ms", "0")
                .containsEntry("log.cleaner.dedupe.buffer.size", "4194304");
    }
}
