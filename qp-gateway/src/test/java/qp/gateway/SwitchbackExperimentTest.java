package qp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import qp.gateway.testing.AdminHttp;
import qp.gateway.testing.CollectingEmitter;
import qp.gateway.testing.ManualClock;
import qp.gateway.testing.TestGateways;
import qp.client.QpClient;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;
import qp.protocol.experiments.Arm;
import qp.protocol.experiments.ArmAssignment;
import qp.protocol.frame.Frame;
import qp.protocol.frame.MessageType;
import qp.protocol.json.QpJson;
import qp.protocol.params.TunableParameter;

/**
 * A node-level parameter under switchback, on a clock the test moves block by block: max_connections is the
 * control's 2 or the treatment's 3 as the schedule (drawn from the experiment id) says for each block, a refused
 * connection's event names the arm and block in force, and the node's samples name the node's arm.
 */
class SwitchbackExperimentTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final long BLOCK_MILLIS = 1_000;
    static final int BLOCKS = 8;

    @Test
    void maxConnectionsFollowsTheScheduleBlockByBlock() throws Exception {
        ManualClock clock = new ManualClock();
        CollectingEmitter events = new CollectingEmitter();
        List<QpClient> held = new ArrayList<>();
        try (GatewayServer gw = GatewayServer.start(TestGateways.config().clock(clock).timers(clock)
                .param(TunableParameter.MAX_CONNECTIONS, 2).metricsInterval(Duration.ofMillis(50)).build(), events)) {
            AdminHttp admin = new AdminHttp(gw.adminUri());
            held.add(TestGateways.authed(gw));
            held.add(TestGateways.authed(gw));
            String id = "mc-2-3";
            HttpResponse<String> started = admin.send("POST", "/experiment", "{\"id\": \"" + id + "\", \"parameter\":"
                    + " \"max_connections\", \"treatment\": 3, \"blockMillis\": " + BLOCK_MILLIS + "}",
                    TestGateways.ADMIN_TOKEN, null);
            assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
            long startedAt = json(started).path("experiment").path("startedAtMillis").asLong();
            assertThat(startedAt).as("the start comes from the gateway's clock").isEqualTo(clock.millis());

            List<Arm> seen = new ArrayList<>();
            int samplesAtBlockStart = events.samples().size();
            for (long block = 0; block < BLOCKS; block++) {
                Arm arm = ArmAssignment.switchbackArm(id, block);
                seen.add(arm);
                JsonNode e = json(admin.get("/experiment", TestGateways.ADMIN_TOKEN)).path("experiment");
                assertThat(e.path("block").asLong()).isEqualTo(block);
                assertThat(e.path("currentArm").asText()).isEqualTo(arm.wire());
                assertThat(e.path("sessions").path(arm.wire()).asInt()).as("every session is in the node's arm")
                        .isEqualTo(2);

                // the held sessions' frames carry the node's arm and the block as their bucket
                ProtocolTest.assertEchoWorks(held.get(0));
                long b = block;
                await().atMost(WAIT).until(() -> events.frames().stream().anyMatch(f -> isEchoIn(f, b)));
                FrameEvent echo = events.frames().stream().filter(f -> isEchoIn(f, b)).findFirst().orElseThrow();
                assertThat(echo.experimentId()).isEqualTo(id);
                assertThat(echo.arm()).isEqualTo(arm.wire());

                if (arm == Arm.TREATMENT) {
                    try (QpClient third = TestGateways.authed(gw)) { // admitted: the limit is 3 in this block
                        assertRefused(gw, events, id, arm, block);   // ... and a fourth is one too many
                    }
                    await().atMost(WAIT).until(() -> gw.sessions() == 2);
                } else {
                    assertRefused(gw, events, id, arm, block); // the third is one too many under 2
                }
                // the second sample from here was taken wholly inside this block (one sampler thread, one at a time)
                int before = samplesAtBlockStart;
                await().atMost(WAIT).until(() -> events.samples().size() >= before + 2);
                var sample = events.samples().get(events.samples().size() - 1);
                assertThat(sample.experimentId()).isEqualTo(id);
                assertThat(sample.arm()).isEqualTo(arm.wire());
                // what the experiment varies, whichever block: the node's own limit stays in params
                assertThat(sample.experimentParameter()).isEqualTo("max_connections");
                assertThat(sample.controlValue()).isEqualTo(2L);
                assertThat(sample.treatmentValue()).isEqualTo(3L);
                assertThat(sample.params().maxConnections()).isEqualTo(2);
                clock.advance(Duration.ofMillis(BLOCK_MILLIS));
                samplesAtBlockStart = events.samples().size();
            }
            assertThat(seen).as("each pair of blocks holds one of each arm").contains(Arm.CONTROL, Arm.TREATMENT);

            assertThat(admin.send("DELETE", "/experiment", null, TestGateways.ADMIN_TOKEN, null).statusCode())
                    .isEqualTo(200);
            try (QpClient third = QpClient.connect(gw.uri())) {
                ProtocolTest.assertErrorThenClose(third, "OVERLOADED", 1013); // back on the control's 2 for good
            }
            int ended = events.samples().size();
            await().atMost(WAIT).until(() -> events.samples().size() >= ended + 2);
            var after = events.samples().get(events.samples().size() - 1);
            assertThat(after.experimentId()).isNull();
            assertThat(after.experimentParameter()).isNull();
            assertThat(after.controlValue()).isNull();
            assertThat(after.treatmentValue()).isNull();
        } finally {
            held.forEach(QpClient::close);
        }
    }

    private static boolean isEchoIn(FrameEvent f, long block) {
        return f.direction() == Direction.IN && "echo".equals(f.op()) && f.bucket() != null && f.bucket() == block;
    }

    /** A new connection is refused with OVERLOADED, and its ERROR event names the arm and block in force. */
    private static void assertRefused(GatewayServer gw, CollectingEmitter events, String id, Arm arm, long block)
            throws Exception {
        try (QpClient refused = QpClient.connect(gw.uri())) {
            Frame err = refused.next(WAIT);
            assertThat(err.type()).isEqualTo(MessageType.ERROR);
            assertThat(QpJson.treeOf(err.payload()).path("code").asText()).isEqualTo("OVERLOADED");
            assertThat(refused.awaitClose(WAIT).code()).isEqualTo(1013);
        }
        FrameEvent refusal = events.frames().stream()
                .filter(f -> f.direction() == Direction.OUT && "OVERLOADED".equals(f.outcome())
                        && f.bucket() != null && f.bucket() == block)
                .reduce((a, b) -> b).orElseThrow();
        assertThat(refusal.experimentId()).isEqualTo(id);
        assertThat(refusal.arm()).isEqualTo(arm.wire());
        assertThat(refusal.bucket()).isEqualTo((int) block);
    }

    static JsonNode json(HttpResponse<String> r) {
        return QpJson.treeOf(r.body().getBytes(StandardCharsets.UTF_8));
    }
}
