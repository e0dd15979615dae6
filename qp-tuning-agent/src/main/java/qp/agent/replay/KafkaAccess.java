package qp.agent.replay;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Checks the broker before export and replay start, so that "not reachable" is one line, not a hang. */
final class KafkaAccess {
    private KafkaAccess() {
    }

    static Admin admin(String bootstrap, Duration timeout) {
        int ms = (int) timeout.toMillis();
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000));
    }

    /** The broker's topic names; a broker that does not answer within the timeout is a {@link ReplayException}. */
    static Set<String> topics(Admin admin, String bootstrap, Duration timeout) {
        try {
            return new TreeSet<>(admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException | ExecutionException e) {
            throw unreachable(bootstrap, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplayException("interrupted while reaching Kafka at " + bootstrap);
        }
    }

    /**
     * How long a call may take once the broker has answered the reachability check: a loaded broker (a shared
     * machine, a replay at --speed max) may take longer than --timeout without being gone.
     */
    static Duration patience(Duration timeout) {
        Duration atLeast = Duration.ofMinutes(2);
        return timeout.compareTo(atLeast) > 0 ? timeout : atLeast;
    }

    static ReplayException unreachable(String bootstrap, Duration timeout) {
        return new ReplayException("cannot reach Kafka at " + bootstrap + " within " + timeout.toSeconds()
                + " s; start it (bin/qp kafka start) or pass --kafka HOST:PORT");
    }

    /** Once the broker has answered, a timeout means it is too slow or went away; say so, with the cause. */
    static ReplayException stalled(String bootstrap, String doing, Exception cause) {
        return new ReplayException("Kafka at " + bootstrap + " answered at first, then timed out while " + doing
                + " (" + cause.getMessage() + "); it is overloaded or went away: try again, or raise --timeout", cause);
    }

    static void requireTopics(Set<String> present, Collection<String> wanted, String bootstrap) {
        for (String t : wanted) {
            if (!present.contains(t)) {
                throw new ReplayException("topic " + t + " does not exist on " + bootstrap + " (it has: "
                        + String.join(", ", present.stream().filter(n -> !n.startsWith("__")).toList()) + ")");
            }
        }
    }
}
