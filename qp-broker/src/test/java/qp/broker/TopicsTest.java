package qp.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void createsMissingTopicsWithTheirPartitionsAndLeavesExistingOnesAlone() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.shared();
        Topics.create(kafka.bootstrapServers(), "topics-a:3", "topics-b");
        Topics.create(kafka.bootstrapServers(), "topics-a:3");
        try (var admin = kafka.admin()) {
            var d = admin.describeTopics(java.util.List.of("topics-a", "topics-b")).allTopicNames().get();
            assertThat(d.get("topics-a").partitions()).hasSize(3);
            assertThat(d.get("topics-b").partitions()).hasSize(1);
        }
    }

    @Test
    void aBadSpecNamesItself() {
        assertThatThrownBy(() -> Topics.parse("t:zero")).hasMessageContaining("'t:zero'");
        assertThatThrownBy(() -> Topics.parse("t:0")).hasMessageContaining("NAME:PARTITIONS");
    }
}
