package qp.gateway.commands;

import java.nio.charset.StandardCharsets;

/** {@code ping}: the result is {@code {"ts": <server epoch millis>}}. */
final class PingHandler implements CommandHandler {
    @Override
    public void handle(Command command, CommandReply reply) {
        byte[] json = ("{\"ts\":" + System.currentTimeMillis() + "}").getBytes(StandardCharsets.US_ASCII);
        reply.ackRaw(json, 0, json.length);
    }
}
