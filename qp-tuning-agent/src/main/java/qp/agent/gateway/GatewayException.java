package qp.agent.gateway;

/** A gateway did not do what was asked; {@link #kind()} says whether trying again later can help. */
public final class GatewayException extends Exception {
    public enum Kind {
        /** No answer (down, refused, timed out): try again later with backoff. */
        UNREACHABLE,
        /** 412: its parameter version is no longer the one the request was based on. */
        VERSION_MOVED,
        /** It answered with an error (400, 401, ...): trying again will not help. */
        REFUSED
    }

    private final Kind kind;

    public GatewayException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
