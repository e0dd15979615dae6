package qp.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import qp.client.QpClient;
import qp.protocol.frame.Frame;
import qp.protocol.frame.FrameEncoder;
import qp.protocol.frame.MessageType;
import qp.protocol.json.QpJson;

/**
 * One scenario connection to a gateway: authenticates (asking for compression), sends what the pacer gives it, and
 * charges every reply, refusal and close to its phase's {@link PhaseCounts}. Replies to COMMANDs are matched by id;
 * DATA replies, which carry no id, in order.
 */
final class ScenarioConnection implements AutoCloseable {
    private final QpClient client;
    private final PhaseCounts counts;
    private final CompletableFuture<Boolean> admitted = new CompletableFuture<>();
    private final Map<Long, Long> commandsSentNanos = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Long> dataSentNanos = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean closing;

    private ScenarioConnection(URI uri, PhaseCounts counts) {
        this.counts = counts;
        this.client = QpClient.connect(uri, this::onFrame);
        client.closed().thenAccept(c -> {
            if (!closing) {
                counts.closed(c.code());
            }
            admitted.complete(false);
        });
    }

    /** Connects and sends AUTH; {@link #admitted()} completes true on the ACK, false on a refusal or close. */
    static ScenarioConnection open(URI uri, PhaseCounts counts, String token) {
        ScenarioConnection c = new ScenarioConnection(uri, counts);
        try {
            c.client.send(MessageType.AUTH, QpJson.bytes(QpJson.object().put("token", token).put("compression", true)));
            counts.sent("AUTH");
        } catch (RuntimeException e) {
            // refused before AUTH could go out (OVERLOADED right after the handshake): the refusal is counted
            c.admitted.complete(false);
        }
        return c;
    }

    CompletableFuture<Boolean> admitted() {
        return admitted;
    }

    boolean isOpen() {
        return client.isOpen() && !closing;
    }

    int inFlight() {
        return inFlight.get();
    }

    void command(long id, String op, JsonNode args) {
        commandsSentNanos.put(id, System.nanoTime());
        inFlight.incrementAndGet();
        client.sendCommand(id, op, args);
        counts.sent("COMMAND:" + op);
    }

    /** A HEARTBEAT, so that an otherwise idle connection is not closed as silent; not counted as a request. */
    void heartbeat() {
        client.send(FrameEncoder.encode(MessageType.HEARTBEAT, new byte[0]));
    }

    void data(byte[] payload) {
        dataSentNanos.add(System.nanoTime());
        inFlight.incrementAndGet();
        client.send(FrameEncoder.encode(MessageType.DATA, payload));
        counts.sent("DATA");
    }

    private void onFrame(Frame frame) {
        int wire = frame.wireBytes();
        switch (frame.type()) {
            case STREAM -> counts.stream();
            case ACK, ERROR -> onReply(frame, wire);
            default -> {
                // HEARTBEAT: not a reply
            }
        }
    }

    private void onReply(Frame frame, int wireBytes) {
        JsonNode body;
        try {
            body = QpJson.tree(frame.payload());
        } catch (IOException e) {
            counts.reply("CLIENT_BAD_REPLY", wireBytes, frame.compressed(), -1);
            return;
        }
        String kind = frame.type() == MessageType.ACK ? "ACK" : "ERROR:" + body.path("code").asText("?");
        if (!admitted.isDone()) {
            if (frame.type() == MessageType.ERROR && "OVERLOADED".equals(body.path("code").asText())) {
                counts.overloaded();
            }
            if (frame.type() == MessageType.ACK && body.has("session")) {
                counts.session(body.get("session").asText());
                admitted.complete(true);
            } else {
                admitted.complete(false);
            }
            return;
        }
        Long sent = null;
        if (body.has("id")) {
            sent = commandsSentNanos.remove(body.get("id").asLong());
        } else if (frame.type() == MessageType.ACK && body.has("bytes")) {
            sent = dataSentNanos.poll();
        }
        if (sent != null) {
            inFlight.decrementAndGet();
        }
        counts.reply(kind, wireBytes, frame.compressed(), sent == null ? -1 : (System.nanoTime() - sent) / 1000);
    }

    @Override
    public void close() {
        closing = true;
        client.close();
    }
}
