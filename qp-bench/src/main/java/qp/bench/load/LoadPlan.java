package qp.bench.load;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * A validated load run (QP over {@code ws://}, or HTTP/1.1 JSON over {@code http://}): bounded in connections, in-flight
 * count and time, aimed at a loopback address only. {@code rate} is requests per second over all connections (paced,
 * each connection still at most {@code inFlight} outstanding); 0 runs the closed loop (the next request when a reply
 * comes).
 */
public record LoadPlan(URI url, int connections, int inFlight, Duration warmup, Duration duration, OpMix mix,
                       int payloadBytes, int streamCount, boolean compression, String token, double rate) {
    static final double MAX_RATE = 1_000_000;
    static final int MAX_CONNECTIONS = 2_000;
    static final int MAX_IN_FLIGHT = 1_024;
    static final Duration MAX_TIME = Duration.ofMinutes(30);

    public LoadPlan {
        if (!("ws".equals(url.getScheme()) || "http".equals(url.getScheme())) || url.getHost() == null || url.getPort() < 1) {
            throw new IllegalArgumentException("--url must be ws://<loopback host>:<port>/qp (QP) or http://<loopback host>:<port> "
                    + "(the same ops over HTTP/1.1 JSON), got " + url);
        }
        if (!isLoopback(url.getHost())) {
            throw new IllegalArgumentException("--url host " + url.getHost()
                    + " is not a loopback address: the load generator only targets this machine (127.0.0.1, ::1, localhost)");
        }
        require(connections >= 1 && connections <= MAX_CONNECTIONS, "--connections must be 1.." + MAX_CONNECTIONS);
        require(inFlight >= 1 && inFlight <= MAX_IN_FLIGHT, "--in-flight must be 1.." + MAX_IN_FLIGHT);
        require(!warmup.isNegative() && !duration.isNegative() && !duration.isZero(),
                "--duration must be above 0 and --warmup at least 0");
        require(warmup.plus(duration).compareTo(MAX_TIME) <= 0, "--warmup + --duration must be at most " + MAX_TIME);
        require(payloadBytes >= 0 && payloadBytes <= 1_048_576, "--payload-bytes must be 0..1048576");
        require(streamCount >= 0 && streamCount <= 10_000, "--stream-count must be 0..10000");
        require(token != null && !token.isEmpty(), "no token: set the variable named by --token-env or pass --token-file");
        require(rate >= 0 && rate <= MAX_RATE, "--rate must be 0 (closed loop) or up to " + (long) MAX_RATE + " requests/s");
        require(rate == 0 || "ws".equals(url.getScheme()), "--rate applies to QP (ws://) only");
    }

    /** A closed-loop plan (no pacing). */
    public LoadPlan(URI url, int connections, int inFlight, Duration warmup, Duration duration, OpMix mix,
            int payloadBytes, int streamCount, boolean compression, String token) {
        this(url, connections, inFlight, warmup, duration, mix, payloadBytes, streamCount, compression, token, 0);
    }

    /** True when requests are paced at {@link #rate()} rather than sent as replies come. */
    public boolean paced() {
        return rate > 0;
    }

    private static boolean isLoopback(String host) {
        try {
            for (InetAddress a : InetAddress.getAllByName(host.replace("[", "").replace("]", ""))) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** True when the plan drives the HTTP/1.1 JSON endpoints rather than QP. */
    public boolean http() {
        return "http".equals(url.getScheme());
    }
}
