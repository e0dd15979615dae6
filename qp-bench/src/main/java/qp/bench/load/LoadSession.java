package qp.bench.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import qp.protocol.frame.Frame;
import qp.protocol.frame.FrameEncoder;
import qp.protocol.frame.FrameException;
import qp.protocol.frame.FrameReader;
import qp.protocol.frame.MessageType;
import qp.protocol.json.QpJson;

/**
 * One load-generating connection: authenticates, then keeps {@code inFlight} requests outstanding, sending the
 * next one when a reply arrives; or, paced, sends when {@link #offer()} is called and fewer than {@code inFlight} are
 * outstanding. Replies are matched by id (DATA replies, which carry no id, in order). Entry
 * points are synchronized: the transport calls them from its I/O thread, the runner from the main thread.
 */
final class LoadSession {
    private static final long MAX_INBOUND_FRAME = 64L * 1024 * 1024;
    private static final JsonFactory JSON = QpJson.mapper().getFactory();

    private final LoadStats stats;
    private final RequestEncoder encoder;
    private final OpMix mix;
    private final SplittableRandom random;
    private final CompletableFuture<String> authenticated = new CompletableFuture<>();
    // Outstanding COMMANDs by id: a ring indexed by id, far larger than the in-flight count.
    private final long[] slotIds;
    private final long[] slotSentNanos;
    private final int mask;
    private final int maxInFlight;
    private boolean paced;
    // Outstanding DATA frames, answered in order: a FIFO of send times.
    private final long[] dataSentNanos;
    private int dataHead;
    private int dataCount;

    private Wire wire;
    private long nextId = RequestEncoder.FIRST_ID;
    private int inFlight;
    private volatile boolean running;
    private volatile boolean open = true;
    private boolean closing;

    LoadSession(LoadStats stats, RequestEncoder encoder, OpMix mix, int maxInFlight, long seed) {
        this.stats = stats;
        this.encoder = encoder;
        this.mix = mix;
        this.random = new SplittableRandom(seed);
        this.maxInFlight = maxInFlight;
        int size = Integer.highestOneBit(Math.max(64, maxInFlight * 4) - 1) << 1;
        this.slotIds = new long[size];
        this.slotSentNanos = new long[size];
        this.mask = size - 1;
        this.dataSentNanos = new long[size];
    }

    synchronized void attach(Wire wire) {
        this.wire = wire;
    }

    /** Sends AUTH; the future completes with the session id from the server's ACK. */
    CompletableFuture<String> authenticate(String token, boolean compression) {
        String json = QpJson.string(QpJson.object().put("token", token).put("compression", compression));
        wire.send(ByteBuffer.wrap(FrameEncoder.encode(MessageType.AUTH, json.getBytes(StandardCharsets.UTF_8))));
        return authenticated;
    }

    /** Starts the closed loop: {@code count} requests now, one more per reply until {@link #stop()}. */
    synchronized void start(int count) {
        running = true;
        for (int i = 0; i < count && open; i++) {
            sendNext();
        }
    }

    /** Paced: requests are sent only by {@link #offer()}, not when a reply comes. */
    synchronized void startPaced() {
        running = true;
        paced = true;
    }

    /** Paced: sends one request if the session runs and has room in flight; false if it could not. */
    synchronized boolean offer() {
        if (!running || !open || inFlight >= maxInFlight) {
            return false;
        }
        sendNext();
        return true;
    }

    void stop() {
        running = false;
    }

    synchronized int inFlight() {
        return open ? inFlight : 0;
    }

    synchronized void close() {
        closing = true;
        if (open) {
            wire.close(1000);
        }
    }

    boolean isOpen() {
        return open;
    }

    /** One whole binary message from the server. */
    synchronized void onMessage(ByteBuffer message) {
        FrameReader reader = new FrameReader(message, MAX_INBOUND_FRAME);
        try {
            while (reader.hasNext()) {
                onFrame(reader.next());
            }
        } catch (FrameException e) {
            stats.error("CLIENT_BAD_FRAME");
        }
    }

    synchronized void onClose(int code) {
        if (!open) {
            return;
        }
        open = false;
        if (!closing) {
            stats.closedByServer(code);
        }
        authenticated.completeExceptionally(new IllegalStateException("server closed the connection (" + code + ")"));
    }

    void onSendFailure() {
        stats.sendFailures.increment();
    }

    private void onFrame(Frame frame) {
        switch (frame.type()) {
            case ACK -> onReply(frame, false);
            case ERROR -> onReply(frame, true);
            case STREAM -> stats.streamFrames.increment();
            default -> {
                // HEARTBEAT and anything else the server sends unprompted: not a reply
            }
        }
    }

    private void onReply(Frame frame, boolean error) {
        long now = System.nanoTime();
        Reply reply = Reply.parse(frame.payload());
        if (!authenticated.isDone()) {
            if (error || reply.session == null) {
                authenticated.completeExceptionally(new IllegalStateException(
                        "AUTH refused: " + new String(frame.payload(), StandardCharsets.UTF_8)));
            } else {
                authenticated.complete(reply.session);
            }
            return;
        }
        if (error) {
            stats.error(reply.code);
        }
        long sent;
        if (reply.id != Reply.NO_ID) {
            int slot = (int) (reply.id & mask);
            if (slotIds[slot] != reply.id) {
                stats.unmatched.increment();
                return;
            }
            slotIds[slot] = 0;
            sent = slotSentNanos[slot];
        } else if (!error && reply.hasBytes && dataCount > 0) {
            sent = dataSentNanos[dataHead];
            dataHead = (dataHead + 1) & mask;
            dataCount--;
        } else {
            if (!error) {
                stats.unmatched.increment();
            }
            return; // an ERROR without id ends the session; the close is counted when it comes
        }
        inFlight--;
        if (!error) {
            stats.roundTrip(now - sent);
        }
        if (running && open && !paced) {
            sendNext();
        }
    }

    private void sendNext() {
        if (nextId > RequestEncoder.LAST_ID) {
            running = false; // 9e9 requests on one connection: stop rather than widen the ids
            return;
        }
        long id = nextId++;
        byte[] frame;
        OpMix.Op op = mix.pick(random);
        switch (op) {
            case ECHO -> frame = encoder.echo(id);
            case PING -> frame = encoder.ping(id);
            case STREAM -> frame = encoder.stream(id);
            default -> frame = encoder.data();
        }
        long now = System.nanoTime();
        if (op == OpMix.Op.DATA) {
            dataSentNanos[(dataHead + dataCount) & mask] = now;
            dataCount++;
        } else {
            int slot = (int) (id & mask);
            slotIds[slot] = id;
            slotSentNanos[slot] = now;
        }
        inFlight++;
        wire.send(ByteBuffer.wrap(frame));
    }

    /** The fields of an ACK or ERROR the load generator needs, read with the streaming parser (no tree). */
    private record Reply(long id, String session, String code, boolean hasBytes) {
        static final long NO_ID = Long.MIN_VALUE;

        static Reply parse(byte[] json) {
            long id = NO_ID;
            String session = null;
            String code = null;
            boolean hasBytes = false;
            try (JsonParser p = JSON.createParser(json)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    return new Reply(NO_ID, null, "CLIENT_BAD_REPLY", false);
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken t = p.nextToken();
                    switch (name) {
                        case "id" -> id = t == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : NO_ID;
                        case "session" -> session = p.getValueAsString();
                        case "code" -> code = p.getValueAsString();
                        case "bytes" -> hasBytes = true;
                        default -> p.skipChildren();
                    }
                }
            } catch (IOException e) {
                return new Reply(NO_ID, null, "CLIENT_BAD_REPLY", false);
            }
            return new Reply(id, session, code, hasBytes);
        }
    }
}
