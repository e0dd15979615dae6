package qp.broker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for a server that something else binds later (a child process, a broker started next). They come from
 * 20000–29999 ({@code QP_TEST_PORTS=LOW-HIGH} to change), below Linux's ephemeral range (32768–60999): a port taken
 * from {@code new ServerSocket(0)} is an ephemeral one, and any outgoing connection made before the server binds it
 * (a Kafka client, an HTTP probe) can get it as its local port, so the server then fails with "address in use". That
 * is how a demo's second gateway exited in CI. The same range and idea as {@code .ci/smoke}'s {@code free_port}.
 * A port is handed out once per JVM, and only if it can be bound on every interface right now.
 */
public final class FreePorts {
    private static final Set<Integer> GIVEN = new HashSet<>();

    private FreePorts() {
    }

    /** A port nothing listens on, not handed out before by this JVM. */
    public static synchronized int pick() throws IOException {
        int[] range = range(System.getenv("QP_TEST_PORTS"));
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = random.nextInt(range[0], range[1] + 1);
            if (!GIVEN.contains(port) && bindable(port)) {
                GIVEN.add(port);
                return port;
            }
        }
        throw new IOException("no free port found in " + range[0] + "-" + range[1] + " after 200 tries (QP_TEST_PORTS)");
    }

    static int[] range(String spec) {
        if (spec == null || spec.isBlank()) {
            return new int[] {20000, 29999};
        }
        String[] parts = spec.strip().split("-");
        if (parts.length != 2) {
            throw new IllegalArgumentException("QP_TEST_PORTS must be LOW-HIGH, not " + spec);
        }
        int low = Integer.parseInt(parts[0].strip());
        int high = Integer.parseInt(parts[1].strip());
        if (low < 1024 || high > 65535 || low > high) {
            throw new IllegalArgumentException("QP_TEST_PORTS must be LOW-HIGH within 1024-65535, not " + spec);
        }
        return new int[] {low, high};
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
