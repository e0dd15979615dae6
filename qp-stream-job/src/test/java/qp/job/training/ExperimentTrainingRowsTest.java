package qp.job.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qp.client.QpClient;
import qp.gateway.GatewayConfig;
import qp.gateway.GatewayServer;
import qp.gateway.events.EmitterStats;
import qp.gateway.events.EventEmitter;
import qp.gateway.experiments.ExperimentRequest;
import qp.job.analytics.Harnesses;
import qp.protocol.analytics.ModelReport;
import qp.protocol.control.ControlCommand;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;
import qp.protocol.experiments.Assignment;
import qp.protocol.frame.Frame;
import qp.protocol.frame.MessageType;
import qp.protocol.json.QpJson;
import qp.testsupport.experiments.ReferenceArms;

/**
 * A real gateway runs compression_threshold off -> 1024 for half of its sessions; real QP sessions send echoes, each
 * session its own payload size; the gateway's frame events and node samples go through the latency trainer in an
 * operator harness. Every row of an echo must hold the threshold its session ran with: the test knows the session's
 * arm from its own re-derivation of the assignment ({@link ReferenceArms}) and the session from the payload size.
 */
class ExperimentTrainingRowsTest {
    static final String NODE = "edge-rows";
    static final String EXPERIMENT = "ct-rows-1";
    static final int SESSIONS = 12;
    static final int ECHOES = 5;
    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    /** Keeps the gateway's events in memory. */
    static final class Events implements EventEmitter {
        final ConcurrentLinkedQueue<FrameEvent> frames = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<NodeMetrics> samples = new ConcurrentLinkedQueue<>();

        @Override
        public void emitFrame(FrameEvent event) {
            frames.add(event);
        }

        @Override
        public void emitNodeMetrics(NodeMetrics sample) {
            samples.add(sample);
        }

        @Override
        public EmitterStats stats() {
            return new EmitterStats(0, 0, frames.size(), 0, true);
        }

        @Override
        public void close() {
        }
    }

    /** Session i's echoes carry i+1 thousand bytes of padding, so a row's payload size names its session. */
    static int sessionOf(long payloadBytes) {
        return (int) (payloadBytes / 1_000) - 1;
    }

    @Test
    void eachEchoRowHoldsTheThresholdOfItsSessionsArm() throws Exception {
        Events events = new Events();
        List<String> sessionIds = new ArrayList<>();
        GatewayConfig config = GatewayConfig.builder().host("127.0.0.1").port(0).adminHost("127.0.0.1").adminPort(0)
                .nodeId(NODE).clientToken("client-token").adminToken("admin-token").ioThreads(2)
                .metricsInterval(Duration.ofMillis(100)).shutdownGrace(Duration.ofSeconds(1))
                .stateDir(dir.resolve("gateway-state")).build();
        try (GatewayServer gw = GatewayServer.start(config, events)) {
            gw.experiments().start(new ExperimentRequest(EXPERIMENT, "compression_threshold", null, 1024, 0.5,
                    Assignment.SESSION, 0), gw.params().version());
            await().atMost(WAIT).until(() -> events.samples.stream().anyMatch(m -> m.treatmentValue() != null));
            List<QpClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < SESSIONS; i++) {
                    QpClient c = QpClient.connect(gw.uri());
                    clients.add(c);
                    c.send(MessageType.AUTH, QpJson.bytes(QpJson.object().put("token", "client-token")));
                    Frame ack = c.next(WAIT);
                    assertThat(ack.type()).isEqualTo(MessageType.ACK);
                    sessionIds.add(QpJson.treeOf(ack.payload()).path("session").asText());
                }
                for (int round = 0; round < ECHOES; round++) {
                    for (int i = 0; i < SESSIONS; i++) {
                        clients.get(i).sendCommand(round + 1, "echo",
                                QpJson.object().put("pad", "x".repeat(1_000 * (i + 1))));
                        assertThat(clients.get(i).next(WAIT).type()).isEqualTo(MessageType.ACK);
                    }
                }
            } finally {
                clients.forEach(QpClient::close);
            }
            await().atMost(WAIT).until(() -> events.frames.stream().filter(TrainingRow::usable)
                    .filter(f -> "COMMAND".equals(f.type())).count() == SESSIONS * ECHOES);
        }
        long treatment = sessionIds.stream().filter(s -> ReferenceArms.treatment(EXPERIMENT, s, 0.5)).count();
        assertThat(treatment).as("12 sessions at share 0.5 fall in both arms").isBetween(1L, SESSIONS - 1L);

        List<TrainingRow> rows = join(events);

        List<TrainingRow> echoes = rows.stream().filter(r -> r.messageType().equals("COMMAND")).toList();
        assertThat(echoes).hasSize(SESSIONS * ECHOES);
        for (TrainingRow r : echoes) {
            String session = sessionIds.get(sessionOf(r.payloadSize()));
            long expected = ReferenceArms.treatment(EXPERIMENT, session, 0.5) ? 1024 : 0;
            assertThat(r.compressionThreshold()).as("an echo of %d bytes of session %s", r.payloadSize(), session)
                    .isEqualTo(expected);
        }
    }

    /**
     * The gateway's samples and replied frames through the trainer in event-time order (a sample before a frame of the
     * same millisecond: the join takes the latest sample at or before a frame); its sample, read from its state.
     */
    static List<TrainingRow> join(Events events) throws Exception {
        List<NodeInput> inputs = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        events.samples.forEach(m -> {
            inputs.add(NodeInput.of(m));
            times.add(2 * m.timestampMillis());
        });
        events.frames.stream().filter(TrainingRow::usable).forEach(f -> {
            inputs.add(NodeInput.of(f));
            times.add(2 * f.eventTimeMillis() + 1);
        });
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing(times::get));
        TrainingSettings settings = TrainingSettings.defaults().withRetrainIntervalMillis(3_600_000)
                .withSample(10, 10_000).withHorizonMillis(3_600_000).withTiming(100, 3_600_000);
        try (var h = new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(
                new LatencyTrainingFunction(settings), List.of(LatencyTrainingFunction.CONTROL)),
                NodeInput::nodeId, Types.STRING, 1, 1, 0)) {
            Harnesses.noKryo(h.getExecutionConfig().getSerializerConfig());
            h.open();
            for (int i : order) {
                h.processElement(new StreamRecord<>(inputs.get(i)));
            }
            KeyedStateBackend<String> b = h.getOperator().getKeyedStateBackend();
            b.setCurrentKey(NODE);
            List<TrainingRow> rows = new ArrayList<>();
            b.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, new MapStateDescriptor<>(
                    "sample", Types.INT, TypeInformation.of(TrainingRow.class))).values().forEach(rows::add);
            return rows;
        }
    }
}
