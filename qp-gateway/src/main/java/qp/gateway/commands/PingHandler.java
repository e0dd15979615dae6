package qp.gateway.commands;

import java.nio.charset.StandardCharsets;
import java.time.Clock;

/** {@code ping}: the result is {@code {"ts": <server epoch millis>}} on the gateway's clock. */
final class PingHandler implements CommandHandler {
    private final Clock clock;

    PingHandler(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void handle(Command command, CommandReply reply) {
        byte[] json = ("{\"ts\":" + clock.millis() + "}").getBytes(StandardCharsets.US_ASCII);
        reply.ackRaw(json, 0, json.length);
    }
}
