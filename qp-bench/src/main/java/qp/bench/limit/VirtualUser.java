package qp.bench.limit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import qp.protocol.frame.ErrorCode;
import qp.protocol.frame.Frame;
import qp.protocol.frame.FrameEncoder;
import qp.protocol.frame.MessageType;
import qp.protocol.json.QpJson;

/**
 * One closed-loop user: connects, authenticates, sends the routed op one request at a time (each after the reply to
 * the one before), ends its session with a normal close after a geometric number of requests and connects again at
 * once. A refused connection (ERROR OVERLOADED, close 1013) waits a {@link Backoff} before the next try.
 */
final class VirtualUser implements Runnable {
    /** How a session ended. */
    enum Outcome { ADMITTED, REFUSED, FAILED }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final int id;
    private final HttpClient http;
    private final URI uri;
    private final String token;
    private final String op;
    private final double meanRequests;
    private final ClientStats stats;
    private final SplittableRandom random;
    private final Backoff backoff;
    private volatile boolean stopped;
    private long nextCommandId;

    VirtualUser(int id, HttpClient http, URI uri, String token, String op, double meanRequests, ClientStats stats,
            SplittableRandom random) {
        this.id = id;
        this.http = http;
        this.uri = uri;
        this.token = token;
        this.op = op;
        this.meanRequests = meanRequests;
        this.stats = stats;
        this.random = random;
        this.backoff = new Backoff(random.split());
    }

    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        try {
            while (!stopped) {
                switch (session()) {
                    case ADMITTED -> backoff.reset();
                    case REFUSED, FAILED -> Thread.sleep(backoff.next().toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopped while waiting: the thread ends
        }
    }

    /** Requests in one session: geometric on 1, 2, 3, ... with the given mean. */
    static int geometric(SplittableRandom random, double mean) {
        if (mean <= 1) {
            return 1;
        }
        double p = 1 / mean;
        double u = 1 - random.nextDouble(); // (0, 1]
        return 1 + (int) Math.min(Integer.MAX_VALUE - 1L, (long) Math.floor(Math.log(u) / Math.log(1 - p)));
    }

    private Outcome session() throws InterruptedException {
        FrameInbox inbox = new FrameInbox();
        WebSocket ws;
        var connecting = http.newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT).buildAsync(uri, inbox);
        try {
            ws = connecting.get(CONNECT_TIMEOUT.toMillis() + 5000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            connecting.thenAccept(WebSocket::abort); // should it still open after all
            stats.connectFailed();
            return Outcome.FAILED;
        } catch (InterruptedException e) {
            connecting.thenAccept(WebSocket::abort);
            throw e;
        }
        boolean admitted = false;
        try {
            if (token != null) {
                Frame reply = exchange(ws, inbox, FrameEncoder.encode(MessageType.AUTH,
                        token.getBytes(StandardCharsets.UTF_8)));
                if (refused(reply, inbox)) {
                    stats.refused();
                    return Outcome.REFUSED;
                }
                if (reply == null || reply.type() != MessageType.ACK) {
                    stats.error(); // AUTH_FAILED, or the connection went away
                    return Outcome.FAILED;
                }
                admitted = admit();
            }
            int requests = geometric(random, meanRequests);
            for (int i = 0; i < requests && !inbox.closed() && !stopped; i++) {
                long started = System.nanoTime();
                Frame reply = exchange(ws, inbox, command());
                if (!admitted) { // no AUTH: the first reply says whether the gateway took the session
                    if (refused(reply, inbox)) {
                        stats.refused();
                        return Outcome.REFUSED;
                    }
                    if (reply != null) {
                        admitted = admit();
                    }
                }
                if (reply == null) {
                    stats.error(); // closed under the request, or no answer in time
                    break;
                }
                if (reply.type() == MessageType.ACK) {
                    stats.reply(System.nanoTime() - started);
                } else {
                    stats.error();
                }
            }
            return admitted ? Outcome.ADMITTED : Outcome.FAILED;
        } finally {
            if (admitted) {
                stats.closing();
            }
            close(ws, inbox);
        }
    }

    private boolean admit() {
        stats.admitted();
        return true;
    }

    /**
     * Sends one frame and returns the next frame that is not a HEARTBEAT, or null when the connection closed first or
     * nothing came in time. A send that fails (the gateway closed: a refusal races the AUTH) still reads what came.
     */
    private static Frame exchange(WebSocket ws, FrameInbox inbox, byte[] frame) throws InterruptedException {
        boolean sent;
        try {
            ws.sendBinary(ByteBuffer.wrap(frame), true).join();
            sent = true;
        } catch (CompletionException e) {
            sent = false;
        }
        Duration timeout = sent ? REPLY_TIMEOUT : CLOSE_TIMEOUT;
        while (true) {
            Frame f = inbox.next(timeout);
            if (f == null || f.type() != MessageType.HEARTBEAT) {
                return f;
            }
        }
    }

    /** Whether the gateway refused the connection: ERROR OVERLOADED, or a close 1013 before any frame. */
    private static boolean refused(Frame reply, FrameInbox inbox) {
        if (reply == null) {
            return inbox.closeCode() == ErrorCode.OVERLOADED.closeCode();
        }
        return reply.type() == MessageType.ERROR && ErrorCode.OVERLOADED.wireCode().equals(errorCode(reply));
    }

    private static String errorCode(Frame error) {
        try {
            JsonNode json = QpJson.tree(error.payload());
            return json == null ? null : json.path("code").asText(null);
        } catch (IOException e) {
            return null; // an ERROR that is not JSON is no refusal
        }
    }

    /**
     * About 600 B of request, the size of a small API call. It also keeps the node's mean payload above the
     * batch-small-payloads rule's 256 B, so that the benchmark measures the concurrency limit, not a buffer_size
     * experiment that would hold the node first (seen in the first smoke run, with 20-byte requests).
     */
    static final String QUERY = "filter=region:north,status:open,sort=created;".repeat(13);

    private byte[] command() {
        var cmd = QpJson.object().put("id", ++nextCommandId).put("op", op);
        cmd.putObject("args").put("user", id).put("query", QUERY);
        return FrameEncoder.encode(MessageType.COMMAND, QpJson.bytes(cmd));
    }

    /** A normal close, waited for a little; whatever does not close in time is cut. */
    private static void close(WebSocket ws, FrameInbox inbox) throws InterruptedException {
        if (!inbox.closed() && !ws.isOutputClosed()) {
            try {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "session done").get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
                while (!inbox.closed() && System.nanoTime() < deadline) {
                    inbox.next(Duration.ofMillis(50));
                }
            } catch (ExecutionException | TimeoutException e) {
                // the gateway is gone: abort below
            }
        }
        ws.abort();
    }
}
