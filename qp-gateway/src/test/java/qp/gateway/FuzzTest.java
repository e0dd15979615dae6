package qp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import qp.gateway.FuzzTraffic.Batch;
import qp.gateway.FuzzTraffic.Kind;
import qp.gateway.FuzzTraffic.Mutant;
import qp.gateway.testing.CollectingEmitter;
import qp.gateway.testing.TestGateways;
import qp.client.QpClient;
import qp.protocol.frame.Frame;
import qp.protocol.frame.MessageType;
import qp.protocol.json.QpJson;

/**
 * Throws well over 100,000 random and mutated frames at one gateway from several sessions at once (seeded, so a
 * failure replays). Every session that gets a bad message must get the ERROR code and close code its kind of
 * breakage has in PROTOCOL.md's table ({@link FuzzTraffic.Kind}, written down, not asked of the codec), after
 * exactly the replies of the valid frames before the bad spot; every good session stays open and correct; two
 * canary sessions echo correctly throughout; and no closed session stays in memory.
 */
class FuzzTest {
    static final long SEED = 20261126L;
    static final int FRAME_BUDGET = 110_000;
    static final int WORKERS = 4;
    static final Duration WAIT = Duration.ofSeconds(30);
    /**
     * Live heap that may stay after all the fuzz sessions are gone, per session opened (~540 of them). A session's
     * own objects are several times this (its receive buffer alone is buffer_size, 8 KiB), and no Session object may
     * stay at all; so keeping a session's buffers, channel or writer, or 2 KiB of anything per session, fails.
     * Measured here (after the warm-up has created the meters and pools every kind of frame needs): about 0.1 MB in
     * total, 200 B per session, mostly the test emitter's per-second node samples; 0.4 MB without that warm-up.
     */
    static final long RETAINED_BYTES_PER_SESSION = 2 * 1024;

    final AtomicLong framesSent = new AtomicLong();
    final AtomicInteger sessionsOpened = new AtomicInteger();
    final AtomicInteger goodSessions = new AtomicInteger();
    final AtomicInteger flipsThatStayedValid = new AtomicInteger();
    final Map<Kind, AtomicInteger> badSessionsByKind = new EnumMap<>(Kind.class);

    FuzzTest() {
        for (Kind k : Kind.values()) {
            badSessionsByKind.put(k, new AtomicInteger());
        }
    }

    @Test
    @Timeout(value = 420, unit = TimeUnit.SECONDS) // a safety net: about 80 s here alone, 130 s+ with 8 builds beside it
    void randomAndMutatedFramesNeverHurtTheGatewayOrOtherSessions() throws Exception {
        CollectingEmitter emitter = new CollectingEmitter(false);
        try (GatewayServer gw = GatewayServer.start(TestGateways.config().build(), emitter)) {
            warmUp(gw);
            long liveBytesBefore = settledLiveBytes(gw);

            AtomicBoolean done = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(WORKERS + 1);
            Future<Integer> canaries = pool.submit(() -> canaries(gw, done));
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                Random random = new Random(SEED + w);
                workers.add(pool.submit(() -> {
                    while (framesSent.get() < FRAME_BUDGET) {
                        fuzzSession(gw, random, null);
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get(300, TimeUnit.SECONDS);
            }
            done.set(true);
            int canaryEchoes = canaries.get(30, TimeUnit.SECONDS);
            pool.shutdown();

            int badSessions = badSessionsByKind.values().stream().mapToInt(AtomicInteger::get).sum();
            assertThat(framesSent.get()).isGreaterThanOrEqualTo(100_000);
            assertThat(badSessions).as("sessions ended by a bad message").isGreaterThan(100);
            assertThat(badSessionsByKind).as("every kind of breakage was tried")
                    .allSatisfy((kind, n) -> assertThat(n.get()).as(kind.name()).isPositive());
            assertThat(goodSessions.get()).isGreaterThan(20);
            assertThat(canaryEchoes).isGreaterThan(10);
            // every frame in and out was recorded: at least one event per frame the fuzzer sent
            assertThat(emitter.frameCount.get()).isGreaterThanOrEqualTo(framesSent.get());

            // no session outlives its connection: the registry empties, no Session object is left on the heap, and
            // the heap is back to where it was within a bound far below what one session holds
            long retained = settledLiveBytes(gw) - liveBytesBefore;
            System.out.printf("fuzz: %d sessions, live heap after - before = %d bytes (%d per session)%n",
                    sessionsOpened.get(), retained, retained / sessionsOpened.get());
            assertThat(retained).as("live heap kept after %d sessions closed, bytes", sessionsOpened.get())
                    .isLessThan(RETAINED_BYTES_PER_SESSION * sessionsOpened.get());
            // and the gateway still serves
            try (QpClient c = TestGateways.authed(gw)) {
                ProtocolTest.assertEchoWorks(c);
            }
            System.out.printf("fuzz: %d frames, %d bad sessions %s, %d good, %d bit flips that stayed valid, %d canary echoes%n",
                    framesSent.get(), badSessions, badSessionsByKind, goodSessions.get(), flipsThatStayedValid.get(),
                    canaryEchoes);
        }
    }

    /**
     * Echoes, then one session ending in each kind of breakage (uncounted): what the gateway creates once (a meter
     * per frame type and error code, pooled buffers, JIT) exists before the heap is first measured.
     */
    private static void warmUp(GatewayServer gw) throws Exception {
        try (QpClient c = TestGateways.authed(gw)) {
            for (int i = 0; i < 200; i++) {
                ProtocolTest.assertEchoWorks(c);
            }
        }
        FuzzTest uncounted = new FuzzTest();
        Random r = new Random(SEED - 2);
        for (int round = 0; round < 2; round++) {
            for (Kind kind : Kind.values()) {
                uncounted.fuzzSession(gw, r, kind);
            }
        }
    }

    /**
     * Bytes of live objects on the heap (the class histogram's total, after its full GC), once every session is gone
     * from the registry and from the heap, and the test's own clients too (each QpClient has a JDK HttpClient, whose
     * selector thread lets go of it a few seconds after it is closed): what is measured is what the gateway keeps.
     * The histogram counts live objects only; "used heap" after System.gc() wandered by several MB between runs here.
     */
    private static long settledLiveBytes(GatewayServer gw) throws Exception {
        await().atMost(WAIT).until(() -> gw.sessions() == 0);
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> live("qp.gateway.session.Session") == 0
                && live("jdk.internal.net.http.HttpClientImpl") == 0);
        return live("Total");
    }

    /**
     * From the JVM's class histogram (which runs a full GC first): the live instances of {@code className}, or for
     * "Total" the bytes of all live objects.
     */
    private static long live(String className) throws Exception {
        String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        for (String line : histogram.split("\n")) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length == 3 && cols[0].equals("Total") && className.equals("Total")) {
                return Long.parseLong(cols[2]);
            }
            if (cols.length >= 4 && cols[3].equals(className)) {
                return Long.parseLong(cols[1]);
            }
        }
        return 0;
    }

    /** Two well-behaved sessions that echo and check every answer while the fuzz goes on. */
    private static int canaries(GatewayServer gw, AtomicBoolean done) throws Exception {
        Random r = new Random(SEED - 1);
        int n = 0;
        try (QpClient a = TestGateways.authed(gw); QpClient b = TestGateways.authed(gw)) {
            while (!done.get()) {
                for (QpClient c : List.of(a, b)) {
                    ObjectNode args = QpJson.object().put("n", r.nextLong()).put("s", FuzzTraffic.text(r, 40));
                    c.sendCommand(n, "echo", args);
                    Frame f = c.next(WAIT);
                    assertThat(f.type()).isEqualTo(MessageType.ACK);
                    JsonNode j = QpJson.treeOf(f.payload());
                    assertThat(j.path("id").asLong()).isEqualTo(n);
                    assertThat(j.path("result")).isEqualTo(args);
                    n++;
                }
                Thread.sleep(2); // leave the two cores to the fuzz: the canaries check, they do not load
            }
            assertThat(a.isOpen() && b.isOpen()).isTrue();
        }
        return n;
    }

    // ---- one fuzz session

    /** A session of valid batches, then (seven times in ten, or always when {@code kind} is given) a bad message. */
    private void fuzzSession(GatewayServer gw, Random r, Kind kind) throws Exception {
        AtomicInteger replies = new AtomicInteger();
        AtomicReference<String> lastError = new AtomicReference<>();
        AtomicReference<String> echoSeen = new AtomicReference<>();
        QpClient c = QpClient.connect(gw.uri(), f -> {
            replies.incrementAndGet();
            if (f.type() == MessageType.ERROR) {
                lastError.set(QpJson.treeOf(f.payload()).path("code").asText());
            } else if (f.type() == MessageType.ACK && f.payload().length < 200) {
                echoSeen.set(new String(f.payload(), StandardCharsets.UTF_8));
            }
        });
        sessionsOpened.incrementAndGet();
        try {
            c.send(MessageType.AUTH, TestGateways.TOKEN.getBytes(StandardCharsets.UTF_8));
            framesSent.incrementAndGet();
            int expected = 1;
            int messages = 1 + r.nextInt(12);
            for (int m = 0; m < messages; m++) {
                Batch batch = FuzzTraffic.batch(r, 1 + r.nextInt(60));
                c.send(batch.bytes());
                framesSent.addAndGet(batch.frames());
                expected += batch.replies();
            }
            int finalExpected = expected;
            await().atMost(WAIT).until(() -> replies.get() >= finalExpected);
            assertThat(replies.get()).isEqualTo(expected);
            assertThat(c.isOpen()).isTrue();
            if (kind != null || r.nextInt(10) < 7) {
                badEnding(c, r, kind == null ? FuzzTraffic.mutant(r) : FuzzTraffic.mutant(r, kind), replies, lastError, echoSeen);
            } else {
                goodSessions.incrementAndGet();
            }
        } finally {
            c.close();
        }
    }

    private void badEnding(QpClient c, Random r, Mutant m, AtomicInteger replies, AtomicReference<String> lastError,
            AtomicReference<String> echoSeen) throws Exception {
        int repliesBefore = replies.get();
        if (m.text() != null) {
            c.sendText(m.text());
        } else {
            c.send(m.bytes());
        }
        framesSent.incrementAndGet();
        if (m.kind() == Kind.BIT_FLIPS) {
            bitFlipsEnding(c, r, m, lastError, echoSeen);
            return;
        }
        QpClient.Close close = c.awaitClose(WAIT);
        assertThat(close.code()).as("close code for %s: %s", m.kind(), m.describe()).isEqualTo(m.kind().closeCode);
        assertThat(lastError.get()).as("ERROR code for %s: %s", m.kind(), m.describe()).isEqualTo(m.kind().errorCode);
        // the valid frames before the bad spot were answered, then the ERROR; nothing after the bad spot was
        assertThat(replies.get() - repliesBefore).as("replies to %s: %s", m.kind(), m.describe())
                .isEqualTo(m.repliesBefore() + 1);
        badSessionsByKind.get(m.kind()).incrementAndGet();
    }

    /** Flipped bits: the session stays open and still echoes, or it ends with one of PROTOCOL.md's rows. */
    private void bitFlipsEnding(QpClient c, Random r, Mutant m, AtomicReference<String> lastError,
            AtomicReference<String> echoSeen) throws Exception {
        long id = 1_000_000 + r.nextInt(1_000_000);
        String want = "{\"id\":" + id + ",\"result\":{\"alive\":" + id + "}}";
        if (c.isOpen()) {
            try {
                c.send(MessageType.COMMAND, ("{\"id\":" + id + ",\"op\":\"echo\",\"args\":{\"alive\":" + id + "}}")
                        .getBytes(StandardCharsets.UTF_8));
            } catch (RuntimeException closedMeanwhile) {
                // the flipped message ended the session before the echo went out: the close says how
            }
        }
        await().atMost(WAIT).until(() -> want.equals(echoSeen.get()) || c.closed().isDone());
        if (want.equals(echoSeen.get())) {
            assertThat(c.isOpen()).isTrue();
            flipsThatStayedValid.incrementAndGet();
            return;
        }
        int closeCode = c.awaitClose(WAIT).code();
        assertThat(FuzzTraffic.isATableRow(lastError.get(), closeCode))
                .as("ERROR %s, close %d for %s", lastError.get(), closeCode, m.describe()).isTrue();
        badSessionsByKind.get(Kind.BIT_FLIPS).incrementAndGet();
    }
}
