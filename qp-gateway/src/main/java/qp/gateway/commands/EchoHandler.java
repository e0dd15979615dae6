package qp.gateway.commands;

/** {@code echo}: the result is the args object exactly as sent ({@code {}} when there were none). */
final class EchoHandler implements CommandHandler {
    private static final byte[] EMPTY_OBJECT = {'{', '}'};

    @Override
    public void handle(Command command, CommandReply reply) {
        if (command.hasArgs()) {
            reply.ackRaw(command.payload(), command.argsOffset(), command.argsLength());
        } else {
            reply.ackRaw(EMPTY_OBJECT, 0, EMPTY_OBJECT.length);
        }
    }
}
