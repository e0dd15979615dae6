package qp.bench.scenario;

import java.util.Arrays;

/** The scripted conditions the scenario plays, in the order of a default script. */
public enum Phase {
    NORMAL("normal", "mixed traffic: echo, ping, small DATA, streams, a few routed upstream ops"),
    COMPRESSIBLE("compressible", "large compressible payloads: 8-32 KiB of repetitive JSON-like text as DATA and echo "
            + "(to every gateway but the last when there are several)"),
    SURGE("surge", "a connection surge past max_connections on the first gateway (OVERLOADED / 1013 counted)"),
    SLOW_UPSTREAM("slow-upstream", "a latency spike: the upstream behind the routed op answers in 250-400 ms"),
    BULKY("bulky", "large, poorly compressible payloads to the last gateway: 128-256 KiB of base64 of random bytes as "
            + "echo args, so its replies are as large; zlib shrinks them only to ~76% and costs milliseconds of CPU per "
            + "reply (normal traffic to the others)");

    private final String id;
    private final String description;

    Phase(String id, String description) {
        this.id = id;
        this.description = description;
    }

    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    public static Phase of(String id) {
        for (Phase p : values()) {
            if (p.id.equals(id)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown phase '" + id + "': expected one of " + String.join(", ",
                Arrays.stream(values()).map(Phase::id).toList()));
    }
}
