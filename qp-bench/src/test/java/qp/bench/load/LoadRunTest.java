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

    @Test
    void theSameOpsOverHttpAreMeasuredWithTheirBytesOnTheWire() throws Exception {
        URI http = URI.create("http://127.0.0.1:" + url.getPort());
        LoadPlan plan = new LoadPlan(http, 6, 1, Duration.ofMillis(200), Duration.ofMillis(500), OpMix.parse("echo=1,data=1"),
                64, 0, false, "any-token");
        LoadResult r = HttpLoadRun.run(plan, 1, LoadRun.PhaseListener.NONE);
        assertThat(r.replies()).isPositive();
        assertThat(r.counters().errors() + r.counters().sendFailures() + r.counters().closes()).isZero();
        // a request is at least its 64-byte body plus a request line and headers; a reply at least a status line
        assertThat(r.wire().writtenBytes() / r.replies()).isGreaterThan(64 + 60);
        assertThat(r.wire().readBytes() / r.replies()).isGreaterThan(40);
    }

    @Test
    void aPacedRunSendsNoMoreThanItsRateAllows() throws Exception {
        // the bare server answers tens of thousands of echoes a second in a closed loop; paced at 500/s the run may
        // carry at most what came due in its window plus what was in flight when the window opened
        LoadPlan plan = new LoadPlan(url, 4, 4, Duration.ofMillis(200), Duration.ofMillis(1_000), OpMix.parse("echo=1"),
                64, 0, false, "any-token", 500);
        LoadResult r = LoadRun.run(plan, "undertow", 1, LoadRun.PhaseListener.NONE);
        assertThat(r.replies()).isPositive().isLessThanOrEqualTo((long) (500 * r.seconds()) + 4 * 4);
        assertThat(r.counters().errors() + r.counters().unmatched() + r.counters().sendFailures()).isZero();
        assertThat(r.toJson().get("rate").asDouble()).isEqualTo(500);
    }

    @Test
    void aRateIsForQpOnlyAndNeverNegative() {
        URI http = URI.create("http://127.0.0.1:" + url.getPort());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LoadPlan(http, 1, 1, Duration.ZERO,
                        Duration.ofMillis(100), OpMix.parse("echo=1"), 64, 0, false, "t", 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--rate applies to QP");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LoadPlan(url, 1, 1, Duration.ZERO,
                        Duration.ofMillis(100), OpMix.parse("echo=1"), 64, 0, false, "t", -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--rate must be");
    }

    @Test
    void httpNeedsOneRequestPerConnection() {
        URI http = URI.create("http://127.0.0.1:" + url.getPort());
        LoadPlan plan = new LoadPlan(http, 2, 4, Duration.ZERO, Duration.ofMillis(100), OpMix.parse("echo=1"), 64, 0, false, "t");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HttpLoadRun.run(plan, 1, LoadRun.PhaseListener.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--in-flight 1");
    }

    @Test
    void qpRunsReportTheirBytesOnTheWireToo() throws Exception {
        LoadResult r = run("echo=1", false, "undertow");
        // a 64-byte echo COMMAND is 7 bytes of QP header and at least 2 of WebSocket framing on top
        assertThat(r.wire().writtenBytes() / r.replies()).isGreaterThanOrEqualTo(64 + 7 + 2);
    }

    private static LoadResult run(String mix, boolean compression, String client) throws Exception {
        LoadPlan plan = new LoadPlan(url, 3, 4, Duration.ofMillis(200), Duration.ofMillis(500), OpMix.parse(mix), 64, 3,
                compression, "any-token");
        return LoadRun.run(plan, client, 1, LoadRun.PhaseListener.NONE);
    }
}
