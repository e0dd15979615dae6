package qp.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import qp.client.QpClient;
import qp.protocol.frame.Frame;
import qp.protocol.frame.MessageType;
import qp.protocol.json.QpJson;

/**
 * Real QP sessions that asked for compression, each in its own thread sending {@code echo} commands and waiting for
 * each reply (closed loop), with a pause between requests. What they send comes from a {@link Payloads} that the
 * test can switch mid-run (a load or mix shift). Every failure is kept for the test to assert on.
 */
final class EchoSessions implements AutoCloseable {
    /** The args of the next echo of one session. */
    interface Payloads {
        ObjectNode next(int session, Random rnd);
    }

    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicReference<Payloads> payloads;
    private final AtomicLong pauseMillis;
    final List<String> failures = new CopyOnWriteArrayList<>();
    final List<String> sessionIds = new CopyOnWriteArrayList<>();
    final AtomicLong replies = new AtomicLong();

    EchoSessions(URI uri, String token, int sessions, long pauseMillis, Payloads payloads) {
        this.payloads = new AtomicReference<>(payloads);
        this.pauseMillis = new AtomicLong(pauseMillis);
        for (int i = 0; i < sessions; i++) {
            int session = i;
            Thread t = new Thread(() -> run(uri, token, session), "echo-session-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** From now on sessions send these payloads with this pause between requests. */
    void shift(Payloads next, long pause) {
        payloads.set(next);
        pauseMillis.set(pause);
    }

    private void run(URI uri, String token, int session) {
        Random rnd = new Random(1_000 + session);
        try (QpClient c = QpClient.connect(uri)) {
            c.send(MessageType.AUTH, QpJson.bytes(QpJson.object().put("token", token).put("compression", true)));
            Frame ack = c.next(Duration.ofSeconds(10));
            sessionIds.add(QpJson.treeOf(ack.payload()).path("session").asText());
            long id = 0;
            while (running.get()) {
                c.sendCommand(++id, "echo", payloads.get().next(session, rnd));
                Frame reply = c.next(Duration.ofSeconds(30));
                if (reply.type() != MessageType.ACK) {
                    failures.add("session " + session + ": " + reply.type() + " " + new String(reply.payload()));
                    return;
                }
                replies.incrementAndGet();
                Thread.sleep(pauseMillis.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (running.get()) {
                failures.add("session " + session + ": " + e);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(35_000);
        }
    }

    // ---- payloads

    private static final String[] WORDS = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi "
            + "omicron pi rho sigma tau upsilon phi chi psi omega order item price quantity customer address city "
            + "street country status shipped pending paid refund").split(" ");

    /** JSON-like text of {@code minBytes}..{@code maxBytes} made of a small vocabulary: compresses to about a third. */
    static Payloads text(int minBytes, int maxBytes) {
        return (session, rnd) -> {
            int size = minBytes + rnd.nextInt(maxBytes - minBytes + 1);
            StringBuilder sb = new StringBuilder(size + 32);
            while (sb.length() < size) {
                sb.append("{\"k\":\"").append(WORDS[rnd.nextInt(WORDS.length)]).append("\",\"v\":")
                        .append(rnd.nextInt(1000)).append("},");
            }
            return QpJson.object().put("data", sb.substring(0, size));
        };
    }

    /** Base64 of random bytes: poorly compressible (zlib keeps about three quarters) and costly to compress. */
    static Payloads random(int bytes) {
        return (session, rnd) -> {
            byte[] raw = new byte[bytes * 3 / 4];
            rnd.nextBytes(raw);
            return QpJson.object().put("data", java.util.Base64.getEncoder().encodeToString(raw));
        };
    }

}
