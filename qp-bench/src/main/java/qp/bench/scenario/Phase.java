package qp.bench.scenario;

/** The scripted conditions the scenario plays, in the order of a default script. */
public enum Phase {
    NORMAL("normal", "mixed traffic: echo, ping, small DATA, streams, a few routed upstream ops"),
    COMPRESSIBLE("compressible", "large compressible payloads: 8-32 KiB of repetitive JSON-like text as DATA and echo "
            + "(to every gateway but the last when there are several)"),
    SURGE("surge", "a connection surge past max_connections on the first gateway (OVERLOADED / 1013 counted)"),
    SLOW_UPSTREAM("slow-upstream", "a latency spike: the upstream behind the routed op answers in 250-400 ms"),
    REGRESSION("regression", "large compressible payloads to the last gateway, normal traffic to the others; when a "
            + "parameter change lands on the last gateway, its upstream turns slow and failing until the change is rolled "
            + "back (a change that must be undone)");

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
        throw new IllegalArgumentException("unknown phase '" + id + "': expected one of normal, compressible, surge, "
                + "slow-upstream, regression");
    }
}
