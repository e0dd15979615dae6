package qp.bench.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import java.net.URI;
import java.time.Duration;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import qp.bench.gateway.DiscardingEmitter;
import qp.gateway.GatewayConfig;
import qp.gateway.GatewayServer;
import qp.protocol.params.TunableParameter;

/**
 * 20 closed-loop users against a real gateway (in process, real WebSockets) with max_connections 5, whose routed op
 * goes to a {@link FixedCapacityUpstream} of 8 workers. Every check is structural, none a timing threshold: the
 * refusals are counted by the clients and by the gateway; the upstream never had more than 5 requests in service at
 * once (each session has one request outstanding, and 8 workers could have served more); the clients never held
 * more than 5 admitted sessions; every reply took at least the service time.
 */
class ClosedLoopClientsTest {
    private static final String TOKEN = "limit-token";
    private static final String ADMIN = "limit-admin";
    private static final int LIMIT = 5;
    private static final Duration SERVICE = Duration.ofMillis(20);

    private FixedCapacityUpstream upstream;
    private GatewayServer gateway;

    @BeforeEach
    void start() throws Exception {
        upstream = FixedCapacityUpstream.start(0, 8, SERVICE);
        // the gateway's frame events are not what this test looks at
        gateway = GatewayServer.start(GatewayConfig.builder().host("127.0.0.1").adminHost("127.0.0.1").port(0)
                .adminPort(0).nodeId("edge-1").clientToken(TOKEN).adminToken(ADMIN)
                .param(TunableParameter.MAX_CONNECTIONS, LIMIT)
                .route("lookup", URI.create(upstream.url())).build(), new DiscardingEmitter());
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void refusedUsersBackOffAndTheGatewayNeverHoldsMoreThanItsLimit() throws Exception {
        GatewayAdmin admin = new GatewayAdmin(gateway.adminUri(), ADMIN);
        assertThat(admin.params().maxConnections()).isEqualTo(LIMIT);

        ClientStats.Interval seen;
        try (ClosedLoopClients clients = new ClosedLoopClients(gateway.uri(), TOKEN, "lookup", 20, 3, 42)) {
            clients.start();
            // enough traffic to have seen both, however slow the machine: the wait only ends the run early
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() ->
                    upstream.served() >= 100 && refusedByGateway() >= 5);
            clients.stop();
            seen = clients.stats().take();
            assertThat(clients.stats().maxAdmittedAtOnce()).isBetween(1, LIMIT);
        }

        assertThat(seen.counts().refusals()).isPositive();
        assertThat(refusedByGateway()).isGreaterThanOrEqualTo(seen.counts().refusals());
        assertThat(upstream.maxBusyWorkers()).isBetween(1, LIMIT);
        assertThat(seen.counts().errors()).isZero();
        assertThat(seen.counts().replies()).isPositive().isLessThanOrEqualTo(upstream.served());

        Histogram roundTrips = seen.roundTrips();
        assertThat(roundTrips.getTotalCount()).isEqualTo(seen.counts().replies());
        // the histogram keeps 3 significant digits: the smallest reply falls in a bucket at or above the service time's
        assertThat(roundTrips.getMinValue()).isGreaterThanOrEqualTo(roundTrips.lowestEquivalentValue(SERVICE.toNanos()));

        // every session was closed normally: none is left open on the gateway
        await().atMost(Duration.ofSeconds(20)).until(() -> gateway.sessions() == 0);
    }

    private long refusedByGateway() {
        Counter c = gateway.registry().find("qp.errors").tag("code", "OVERLOADED").counter();
        return c == null ? 0 : (long) c.count();
    }
}
