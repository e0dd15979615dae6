package qp.gateway.commands;

/**
 * One op of COMMAND: the gateway's extension point. Called on the session's IO thread: it must not block;
 * work that waits (I/O, upstream calls) completes the {@link CommandReply} later from its own thread.
 */
@FunctionalInterface
public interface CommandHandler {
    void handle(Command command, CommandReply reply);
}
