package qp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import qp.gateway.testing.CollectingEmitter;
import qp.gateway.testing.TestGateways;
import qp.protocol.client.QpClient;
import qp.protocol.frame.ErrorCode;
import qp.protocol.frame.Frame;
import qp.protocol.frame.FrameEncoder;
import qp.protocol.frame.FrameException;
import qp.protocol.frame.FrameReader;
import qp.protocol.frame.MessageType;
import qp.protocol.json.QpJson;

/**
 * Throws well over 100,000 random and mutated frames at one gateway from several sessions at once (seeded, so a
 * failure replays). Every session that gets a bad message must be closed with the close code PROTOCOL.md gives for
 * it (an oracle built on the qp-protocol codec decides which), every good one stays open and correct, two canary
 * sessions echo correctly throughout, and the heap does not grow.
 */
class FuzzTest {
    static final long SEED = 20261126L;
    static final int FRAME_BUDGET = 110_000;
    static final int WORKERS = 4;
    static final Duration WAIT = Duration.ofSeconds(30);
    static final long MAX_FRAME = 1024 * 1024;
    static final ObjectReader STRICT_JSON = QpJson.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    final AtomicLong framesSent = new AtomicLong();
    final AtomicInteger badSessions = new AtomicInteger();
    final AtomicInteger survivingMutations = new AtomicInteger();
    final AtomicInteger goodSessions = new AtomicInteger();

    @Test
    @Timeout(value = 170, unit = TimeUnit.SECONDS)
    void randomAndMutatedFramesNeverHurtTheGatewayOrOtherSessions() throws Exception {
        CollectingEmitter emitter = new CollectingEmitter(false);
        try (GatewayServer gw = GatewayServer.start(TestGateways.config().build(), emitter)) {
            warmUp(gw);
            long heapBefore = usedHeapAfterGc();

            AtomicBoolean done = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(WORKERS + 1);
            Future<Integer> canaries = pool.submit(() -> canaries(gw, done));
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                Random random = new Random(SEED + w);
                workers.add(pool.submit(() -> {
                    while (framesSent.get() < FRAME_BUDGET) {
                        fuzzSession(gw, random);
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get(150, TimeUnit.SECONDS);
            }
            done.set(true);
            int canaryEchoes = canaries.get(30, TimeUnit.SECONDS);
            pool.shutdown();

            assertThat(framesSent.get()).isGreaterThanOrEqualTo(100_000);
            assertThat(badSessions.get()).as("sessions ended by a bad message").isGreaterThan(100);
            assertThat(goodSessions.get()).isGreaterThan(20);
            assertThat(canaryEchoes).isGreaterThan(10);
            await().atMost(WAIT).until(() -> gw.sessions() == 0);
            // every frame in and out was recorded: at least one event per frame the fuzzer sent
            assertThat(emitter.frameCount.get()).isGreaterThanOrEqualTo(framesSent.get());
            long heapAfter = usedHeapAfterGc();
            assertThat(heapAfter - heapBefore).as("heap growth, bytes").isLessThan(96L * 1024 * 1024);
            // and the gateway still serves
            try (QpClient c = QpClient.connect(gw.uri())) {
                c.auth(TestGateways.TOKEN);
                ProtocolTest.assertEchoWorks(c);
            }
            System.out.printf("fuzz: %d frames, %d bad sessions, %d good, %d mutations that stayed valid, %d canary echoes%n",
                    framesSent.get(), badSessions.get(), goodSessions.get(), survivingMutations.get(), canaryEchoes);
        }
    }

    private static void warmUp(GatewayServer gw) throws Exception {
        try (QpClient c = QpClient.connect(gw.uri())) {
            c.auth(TestGateways.TOKEN);
            for (int i = 0; i < 200; i++) {
                ProtocolTest.assertEchoWorks(c);
            }
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Two well-behaved sessions that echo and check every answer while the fuzz goes on. */
    private static int canaries(GatewayServer gw, AtomicBoolean done) throws Exception {
        Random r = new Random(SEED - 1);
        int n = 0;
        try (QpClient a = QpClient.connect(gw.uri()); QpClient b = QpClient.connect(gw.uri())) {
            a.auth(TestGateways.TOKEN);
            b.auth(TestGateways.TOKEN);
            while (!done.get()) {
                for (QpClient c : List.of(a, b)) {
                    ObjectNode args = QpJson.object().put("n", r.nextLong()).put("s", randomText(r, 40));
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

    private void fuzzSession(GatewayServer gw, Random r) throws Exception {
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
        try {
            c.send(MessageType.AUTH, TestGateways.TOKEN.getBytes(StandardCharsets.UTF_8));
            framesSent.incrementAndGet();
            int expected = 1;
            int messages = 1 + r.nextInt(12);
            for (int m = 0; m < messages; m++) {
                Batch batch = batch(r, 1 + r.nextInt(60));
                c.send(batch.bytes());
                framesSent.addAndGet(batch.frames());
                expected += batch.replies();
            }
            int finalExpected = expected;
            await().atMost(WAIT).until(() -> replies.get() >= finalExpected);
            assertThat(replies.get()).isEqualTo(expected);
            assertThat(c.isOpen()).isTrue();
            if (r.nextInt(10) < 7) {
                badEnding(c, r, lastError, echoSeen);
            } else {
                goodSessions.incrementAndGet();
            }
        } finally {
            c.close();
        }
    }

    private void badEnding(QpClient c, Random r, AtomicReference<String> lastError, AtomicReference<String> echoSeen)
            throws Exception {
        Mutant m = mutant(r);
        if (m.text()) {
            c.sendText(randomText(r, 30));
        } else {
            c.send(m.bytes());
        }
        framesSent.incrementAndGet();
        ErrorCode expected = oracle(m);
        if (expected == null) {
            survivingMutations.incrementAndGet(); // the mutation happened to stay valid: the session must stay open
            long id = 1_000_000 + r.nextInt(1_000_000);
            c.send(MessageType.COMMAND, ("{\"id\":" + id + ",\"op\":\"echo\",\"args\":{\"alive\":" + id + "}}").getBytes(StandardCharsets.UTF_8));
            String want = "{\"id\":" + id + ",\"result\":{\"alive\":" + id + "}}";
            await().atMost(WAIT).until(() -> want.equals(echoSeen.get()));
            assertThat(c.isOpen()).isTrue();
            return;
        }
        QpClient.Close close = c.awaitClose(WAIT);
        assertThat(close.code()).as("close code for %s", m.describe()).isEqualTo(expected.closeCode());
        assertThat(lastError.get()).as("ERROR code for %s", m.describe()).isEqualTo(expected.wireCode());
        badSessions.incrementAndGet();
    }

    // ---- generation

    record Batch(byte[] bytes, int frames, int replies, List<Integer> offsets) {
    }

    private static Batch batch(Random r, int frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Integer> offsets = new ArrayList<>();
        int replies = 0;
        for (int i = 0; i < frames; i++) {
            offsets.add(out.size());
            boolean compress = r.nextInt(5) == 0;
            byte[] frame;
            switch (r.nextInt(9)) {
                case 0, 1 -> {
                    ObjectNode args = QpJson.object().put("k", randomText(r, 20)).put("n", r.nextInt());
                    args.putArray("a").add(r.nextDouble()).add(randomText(r, 5));
                    frame = command(r.nextLong(), "echo", args, compress);
                    replies += 1;
                }
                case 2 -> {
                    frame = command(r.nextInt(), "ping", null, compress);
                    replies += 1;
                }
                case 3 -> {
                    frame = command(r.nextInt(), "op." + randomText(r, 6), QpJson.object(), compress);
                    replies += 1;
                }
                case 4 -> {
                    int n = r.nextInt(4);
                    frame = command(r.nextInt(), "stream", QpJson.object().put("count", n).put("size", r.nextInt(200)), compress);
                    replies += n + 1;
                }
                case 5 -> {
                    frame = FrameEncoder.encode(MessageType.DATA, randomBytes(r, r.nextInt(300)), compress);
                    replies += 1;
                }
                case 6 -> frame = FrameEncoder.encode(MessageType.STREAM, randomBytes(r, r.nextInt(300)), compress);
                case 7 -> {
                    byte[] hb = randomBytes(r, r.nextInt(20));
                    frame = FrameEncoder.encode(MessageType.HEARTBEAT, hb, compress);
                    replies += 1;
                }
                default -> frame = FrameEncoder.encode(MessageType.ERROR,
                        ("{\"code\":\"" + randomText(r, 8) + "\",\"message\":\"fuzz\"}").getBytes(StandardCharsets.UTF_8), compress);
            }
            out.writeBytes(frame);
        }
        return new Batch(out.toByteArray(), frames, replies, offsets);
    }

    private static byte[] command(long id, String op, ObjectNode args, boolean compress) {
        ObjectNode cmd = QpJson.object().put("id", id).put("op", op);
        if (args != null) {
            cmd.set("args", args);
        }
        return FrameEncoder.encode(MessageType.COMMAND, QpJson.bytes(cmd), compress);
    }

    record Mutant(byte[] bytes, boolean text, String describe) {
    }

    private static Mutant mutant(Random r) {
        Batch b = batch(r, 1 + r.nextInt(8));
        byte[] m = b.bytes().clone();
        int frame = b.offsets().get(r.nextInt(b.offsets().size()));
        return switch (r.nextInt(10)) {
            case 0 -> {
                int flips = 1 + r.nextInt(3);
                for (int i = 0; i < flips; i++) {
                    int at = r.nextInt(m.length);
                    m[at] ^= (byte) (1 << r.nextInt(8));
                }
                yield new Mutant(m, false, flips + " bit flip(s)");
            }
            case 1 -> new Mutant(java.util.Arrays.copyOf(m, r.nextInt(m.length)), false, "truncated");
            case 2 -> new Mutant(FrameEncoder.concat(m, randomBytes(r, 1 + r.nextInt(6))), false, "garbage appended");
            case 3 -> {
                m[frame + r.nextInt(2)] ^= (byte) (1 + r.nextInt(255));
                yield new Mutant(m, false, "magic broken");
            }
            case 4 -> {
                ByteBuffer.wrap(m).putInt(frame + 3, (int) (MAX_FRAME + 1 + r.nextInt(Integer.MAX_VALUE - (int) MAX_FRAME - 1)));
                yield new Mutant(m, false, "length over max_frame_bytes");
            }
            case 5 -> {
                m[frame + 2] = (byte) r.nextInt(256);
                yield new Mutant(m, false, "type byte 0x" + Integer.toHexString(m[frame + 2] & 0xff));
            }
            case 6 -> new Mutant(randomBytes(r, 1 + r.nextInt(100)), false, "random bytes");
            case 7 -> new Mutant(null, true, "text message");
            case 8 -> new Mutant(FrameEncoder.concat(m, FrameEncoder.encode(MessageType.COMMAND,
                    ("{\"id\":1,\"op\":\"echo\"" + randomText(r, 3)).getBytes(StandardCharsets.UTF_8))), false, "malformed COMMAND");
            default -> new Mutant(new byte[0], false, "empty message");
        };
    }

    // ---- the oracle: what PROTOCOL.md says the gateway must do with a message, by the qp-protocol codec

    /** The error that must end the session, or null when the message is valid. */
    private static ErrorCode oracle(Mutant m) {
        if (m.text()) {
            return ErrorCode.BAD_FRAME_TEXT;
        }
        if (m.bytes().length == 0) {
            return ErrorCode.BAD_FRAME;
        }
        FrameReader reader = new FrameReader(ByteBuffer.wrap(m.bytes()), MAX_FRAME);
        while (reader.hasNext()) {
            Frame f;
            try {
                f = reader.next();
            } catch (FrameException e) {
                return e.code();
            }
            switch (f.type()) {
                case ACK -> {
                    return ErrorCode.BAD_FRAME;
                }
                case AUTH -> {
                    if (!validToken(f.payload())) {
                        return ErrorCode.AUTH_FAILED;
                    }
                }
                case COMMAND -> {
                    if (!wellFormedCommand(f.payload())) {
                        return ErrorCode.BAD_FRAME;
                    }
                }
                default -> {
                }
            }
        }
        return null;
    }

    private static boolean validToken(byte[] payload) {
        if (payload.length > 0 && payload[0] == '{') {
            try {
                JsonNode t = STRICT_JSON.readTree(payload).get("token");
                return t != null && t.isTextual() && t.asText().equals(TestGateways.TOKEN);
            } catch (Exception e) {
                return false;
            }
        }
        return new String(payload, StandardCharsets.UTF_8).equals(TestGateways.TOKEN)
                && java.util.Arrays.equals(payload, TestGateways.TOKEN.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean wellFormedCommand(byte[] payload) {
        try {
            JsonNode j = STRICT_JSON.readTree(payload);
            if (j == null || !j.isObject()) {
                return false;
            }
            JsonNode id = j.get("id");
            JsonNode op = j.get("op");
            JsonNode args = j.get("args");
            return id != null && id.isIntegralNumber() && id.canConvertToLong()
                    && op != null && op.isTextual()
                    && (args == null || args.isNull() || args.isObject());
        } catch (Exception e) {
            return false;
        }
    }

    private static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static String randomText(Random r, int max) {
        int n = r.nextInt(max + 1);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + r.nextInt(26)));
        }
        return sb.toString();
    }
}
