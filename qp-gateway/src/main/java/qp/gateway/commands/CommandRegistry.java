package qp.gateway.commands;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The ops a gateway answers, by name. Built-ins: echo, ping, stream; routes add upstream-forwarding ops. */
public final class CommandRegistry {
    private final Map<String, CommandHandler> handlers = new ConcurrentHashMap<>();

    /** A registry with echo, ping (its time from {@code clock}) and stream. */
    public static CommandRegistry withBuiltIns(Clock clock) {
        CommandRegistry r = new CommandRegistry();
        r.register("echo", new EchoHandler());
        r.register("ping", new PingHandler(clock));
        r.register("stream", new StreamHandler());
        return r;
    }

    /** Adds one forwarding op per route, sharing one HTTP client. */
    public void registerRoutes(Map<String, URI> routes, Duration timeout) {
        if (routes.isEmpty()) {
            return;
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        routes.forEach((op, uri) -> register(op, new UpstreamHandler(http, uri, timeout)));
    }

    public void register(String op, CommandHandler handler) {
        handlers.put(op, handler);
    }

    /** The handler of an op, or null when the op is unknown. */
    public CommandHandler handler(String op) {
        return handlers.get(op);
    }

    public Set<String> ops() {
        return Set.copyOf(handlers.keySet());
    }
}
