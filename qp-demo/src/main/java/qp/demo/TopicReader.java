package qp.demo;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import qp.protocol.json.QpJson;

/** Reads the job's output topics from the start, committed records only, into the {@link LoopState}. */
final class TopicReader extends Thread {
    private final String bootstrap;
    private final LoopState state;
    private volatile boolean running = true;

    TopicReader(String bootstrap, LoopState state) {
        super("qp-demo-topics");
        setDaemon(true);
        this.bootstrap = bootstrap;
        this.state = state;
    }

    @Override
    public void run() {
        while (running) {
            try {
                read();
            } catch (RuntimeException e) {
                // the broker is slow to answer (a busy machine): try again rather than lose the status
                if (running) {
                    System.err.println("qp demo: reading the topics: " + e.getMessage() + "; retrying");
                }
            }
        }
    }

    private void read() {
        state.reset();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "qp-demo-status");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            Map<String, List<PartitionInfo>> topics = consumer.listTopics(Duration.ofSeconds(60));
            for (String t : DemoTopics.READ) {
                for (PartitionInfo pi : topics.getOrDefault(t, List.of())) {
                    parts.add(new TopicPartition(t, pi.partition()));
                }
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        if (r.value() != null) {
                            state.onRecord(r.topic(), QpJson.tree(r.value()));
                        }
                    } catch (IOException e) {
                        // a record the job wrote and we cannot read: the status skips it
                    }
                }
            }
        }
    }

    void finish() throws InterruptedException {
        running = false;
        join(5_000);
    }
}
