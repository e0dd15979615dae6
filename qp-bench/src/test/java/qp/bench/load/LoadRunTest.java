package qp.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import qp.bench.bare.BareServerMain;

/** The load generator against the bare server, briefly: every op of the mix round-trips, nothing goes unmatched. */
class LoadRunTest {
    private static Undertow bare;
    private static URI url;

    @BeforeAll
    static void startBare() {
        bare = BareServerMain.start("127.0.0.1", 0, 1, 1 << 20);
        int port = ((InetSocketAddress) bare.getListenerInfo().get(0).getAddress()).getPort();
        url = URI.create("ws://127.0.0.1:" + port + "/qp");
    }

    @AfterAll
    static void stopBare() {
        bare.stop();
    }

    @Test
    void echoLoadIsMeasuredWithoutErrors() throws Exception {
        LoadResult r = run("echo=1", false, "undertow");
        assertThat(r.replies()).isPositive();
        assertThat(r.p99Micros()).isPositive();
        assertThat(r.counters().errors() + r.counters().unmatched() + r.counters().sendFailures()).isZero();
        assertThat(r.counters().closes()).isZero();
    }

    @Test
    void everyOpOfTheMixIsAnsweredAndMatched() throws Exception {
        LoadResult r = run("echo=1,ping=1,data=1,stream=1", true, "undertow");
        assertThat(r.replies()).isPositive();
        assertThat(r.counters().streamFrames()).isPositive();
        assertThat(r.counters().closes()).isZero();
        assertThat(r.counters().errors() + r.counters().unmatched()).isZero();
    }

    @Test
    void theJdkClientMeasuresTheSameWay() throws Exception {
        LoadResult r = run("echo=1,data=1", false, "jdk");
        assertThat(r.replies()).isPositive();
        assertThat(r.counters().errors() + r.counters().unmatched() + r.counters().sendFailures()).isZero();
    }

    private static LoadResult run(String mix, boolean compression, String client) throws Exception {
        LoadPlan plan = new LoadPlan(url, 3, 4, Duration.ofMillis(200), Duration.ofMillis(500), OpMix.parse(mix), 64, 3,
                compression, "any-token");
        return LoadRun.run(plan, client, 1, LoadRun.PhaseListener.NONE);
    }
}
