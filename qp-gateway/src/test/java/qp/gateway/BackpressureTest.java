package qp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import qp.gateway.testing.CollectingEmitter;
import qp.gateway.testing.TestGateways;
import qp.client.QpClient;
import qp.protocol.events.Direction;
import qp.protocol.frame.FrameEncoder;
import qp.protocol.frame.MessageType;

/**
 * A client that asks for megabytes and does not read them must not make the gateway queue without bound: the
 * session stops reading its requests until the client catches up, and others are not affected.
 */
class BackpressureTest {
    static final int COMMANDS = 20; // 20 x 8 MiB asked for

    @Test
    void aClientThatDoesNotReadIsPausedNotBuffered() throws Exception {
        CollectingEmitter emitter = new CollectingEmitter();
        try (GatewayServer gw = GatewayServer.start(TestGateways.config().build(), emitter)) {
            AtomicInteger messages = new AtomicInteger();
            AtomicInteger acks = new AtomicInteger();
            WebSocket lazy = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(gw.uri(), new WebSocket.Listener() {
                @Override
                public void onOpen(WebSocket ws) {
                    // no request(): the client reads nothing until the test says so
                }

                private final java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
                private long size;

                @Override
                public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                    size += data.remaining();
                    while (data.hasRemaining() && head.size() < 3) {
                        head.write(data.get());
                    }
                    if (last) {
                        messages.incrementAndGet();
                        if (size < 100 && head.toByteArray()[2] == MessageType.ACK.code()) {
                            acks.incrementAndGet();
                        }
                        head.reset();
                        size = 0;
                    }
                    ws.request(1);
                    return null;
                }
            }).join();
            lazy.sendBinary(ByteBuffer.wrap(FrameEncoder.encode(MessageType.AUTH, TestGateways.TOKEN.getBytes(StandardCharsets.UTF_8))), true).join();
            for (int i = 0; i < COMMANDS; i++) {
                lazy.sendBinary(ByteBuffer.wrap(FrameEncoder.encode(MessageType.COMMAND,
                        ("{\"id\":" + i + ",\"op\":\"stream\",\"args\":{\"count\":8,\"size\":1048576}}").getBytes(StandardCharsets.UTF_8))), true).join();
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> gw.metrics().readPausesTotal() >= 1);
            long streamed = emitter.frames().stream()
                    .filter(e -> e.direction() == Direction.OUT && e.type().equals("STREAM")).count();
            assertThat(streamed).as("STREAM frames generated for a client that reads nothing")
                    .isLessThan(COMMANDS * 8 / 2);

            try (QpClient other = QpClient.connect(gw.uri())) {
                other.auth(TestGateways.TOKEN);
                ProtocolTest.assertEchoWorks(other);
            }

            lazy.request(Long.MAX_VALUE); // the client catches up: the session reads again and answers everything
            await().atMost(Duration.ofSeconds(60)).until(() -> acks.get() == COMMANDS + 1);
            assertThat(emitter.frames().stream()
                    .filter(e -> e.direction() == Direction.OUT && e.type().equals("STREAM")).count())
                    .isEqualTo(COMMANDS * 8);
            lazy.abort();
        }
    }
}
