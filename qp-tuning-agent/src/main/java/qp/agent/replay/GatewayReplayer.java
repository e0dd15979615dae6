package qp.agent.replay;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import qp.client.QpClient;
import qp.protocol.events.FrameEvent;
import qp.protocol.export.ExportReader;
import qp.protocol.export.ExportRecord;
import qp.protocol.json.QpJson;

/**
 * Plays the {@code qp.frames} records of an export file as real QP traffic against a gateway: one WebSocket per
 * recorded connection, opened at its first frame, sending that connection's IN frames ({@link ConnectionScript}) with
 * the original gaps divided by the speed, then waiting for the replies.
 */
public final class GatewayReplayer {
    /**
     * @param framesTopic  the topic whose records are frame events (others in the file are left out)
     * @param replyTimeout how long to wait for the outstanding replies once everything is sent
     */
    public record Options(URI target, String token, Speed speed, Duration replyTimeout, String framesTopic) {
    }

    /**
     * @param sentByType     frames sent, per type
     * @param repliesByType  frames the gateway sent back, per type
     * @param notSent        frames left out because the gateway had closed their connection
     * @param closesByCode   connections the gateway closed, per close code
     */
    public record Summary(int connections, long sent, Map<String, Long> sentByType, Map<String, Long> repliesByType,
            long notSent, Map<Integer, Long> closesByCode, long otherRecords) {
    }

    private record Timed(long timeMillis, String connection, ConnectionScript.Step step) {
    }

    private final Clock clock;

    public GatewayReplayer(Clock clock) {
        this.clock = clock;
    }

    public Summary replay(Path file, Options o, LongConsumer progress) throws IOException, InterruptedException {
        Map<String, List<FrameEvent>> byConnection = new LinkedHashMap<>();
        long other = 0;
        try (ExportReader in = ExportReader.open(file)) {
            for (ExportRecord r; (r = in.next()) != null; ) {
                if (!o.framesTopic().equals(r.topic())) {
                    other++;
                    continue;
                }
                FrameEvent e;
                try {
                    e = QpJson.mapper().treeToValue(r.value(), FrameEvent.class);
                } catch (IOException ex) {
                    throw new ReplayException(file + ": line " + in.lineNumber() + " is not a frame event ("
                            + ex.getMessage().lines().findFirst().orElse("") + ")");
                }
                byConnection.computeIfAbsent(e.nodeId() + "/" + e.connectionId(), k -> new ArrayList<>()).add(e);
            }
        }
        List<Timed> timeline = new ArrayList<>();
        Map<String, Integer> expected = new TreeMap<>();
        byConnection.forEach((conn, events) -> {
            for (ConnectionScript.Step s : ConnectionScript.build(events, o.token())) {
                timeline.add(new Timed(s.timeMillis(), conn, s));
                expected.merge(conn, s.expectedReplies(), Integer::sum);
            }
        });
        timeline.sort(Comparator.comparingLong(Timed::timeMillis)); // stable: a connection's own order is kept
        return run(timeline, expected, o, progress, other);
    }

    private Summary run(List<Timed> timeline, Map<String, Integer> expected, Options o, LongConsumer progress,
            long other) throws InterruptedException {
        Map<String, QpClient> clients = new LinkedHashMap<>();
        Map<String, AtomicInteger> replies = new ConcurrentHashMap<>();
        Map<String, Long> repliesByType = new ConcurrentHashMap<>();
        Map<String, Long> sentByType = new TreeMap<>();
        Pacer pacer = new Pacer(o.speed(), clock, Thread::sleep);
        long sent = 0;
        long notSent = 0;
        long lastProgress = clock.millis();
        try {
            for (Timed t : timeline) {
                pacer.awaitTurn(t.timeMillis());
                QpClient c = clients.get(t.connection());
                if (c == null) {
                    AtomicInteger count = replies.computeIfAbsent(t.connection(), k -> new AtomicInteger());
                    c = connect(o.target(), f -> {
                        repliesByType.merge(f.type().name(), 1L, Long::sum);
                        synchronized (count) {
                            count.incrementAndGet();
                            count.notifyAll();
                        }
                    });
                    clients.put(t.connection(), c);
                }
                if (!c.isOpen()) {
                    notSent++;
                    continue;
                }
                AtomicInteger count = replies.get(t.connection());
                int before = count.get();
                try {
                    c.send(t.step().frame());
                } catch (RuntimeException e) {
                    notSent++; // the gateway closed the connection between our check and the send
                    continue;
                }
                sent++;
                sentByType.merge(t.step().type(), 1L, Long::sum);
                if (t.step().awaitReply()) {
                    awaitCount(count, before + 1, c, o.replyTimeout());
                }
                if (clock.millis() - lastProgress >= 2000) {
                    progress.accept(sent);
                    lastProgress = clock.millis();
                }
            }
            long deadline = clock.millis() + o.replyTimeout().toMillis();
            for (Map.Entry<String, QpClient> e : clients.entrySet()) {
                long left = Math.max(1, deadline - clock.millis());
                awaitCount(replies.get(e.getKey()), expected.get(e.getKey()), e.getValue(), Duration.ofMillis(left));
            }
        } finally {
            clients.values().forEach(QpClient::close);
        }
        Map<Integer, Long> closes = new TreeMap<>();
        for (QpClient c : clients.values()) {
            QpClient.Close close = c.closed().getNow(null);
            if (close != null && close.code() != 1000) {
                closes.merge(close.code(), 1L, Long::sum);
            }
        }
        return new Summary(clients.size(), sent, sentByType, new TreeMap<>(repliesByType), notSent, closes, other);
    }

    /**
     * Waits until {@code count} reaches {@code target}, the connection closes, or {@code timeout} passes without a reply
     * (waited in 100 ms naps: a reply wakes it and starts the wait again, so no clock is read here).
     */
    private static void awaitCount(AtomicInteger count, int target, QpClient c, Duration timeout)
            throws InterruptedException {
        long quietMs = 0;
        int seen = count.get();
        synchronized (count) {
            while (count.get() < target && !c.closed().isDone()) {
                if (count.get() != seen) {
                    seen = count.get();
                    quietMs = 0;
                }
                if (quietMs >= timeout.toMillis()) {
                    return;
                }
                count.wait(100); // woken by each reply; 100 ms to notice a close
                quietMs += 100;
            }
        }
    }

    private static QpClient connect(URI target, java.util.function.Consumer<qp.protocol.frame.Frame> onFrame) {
        try {
            return QpClient.connect(target, onFrame);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String why = cause.getMessage() == null || cause.getMessage().isBlank() ? "connection refused"
                    : cause.getMessage();
            throw new ReplayException("cannot reach the gateway at " + target + " (" + why
                    + "); check the address and that the gateway runs");
        }
    }
}
