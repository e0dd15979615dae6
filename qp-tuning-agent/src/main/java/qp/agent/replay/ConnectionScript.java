package qp.agent.replay;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;
import qp.protocol.frame.FrameEncoder;
import qp.protocol.frame.MessageType;

/**
 * The frames to send for one recorded connection, rebuilt from its frame events: the IN frames in seq order with their
 * type, op, payload size and compression. Payloads are not in the events, so they are made up: AUTH carries the
 * replay's token (or a wrong one when the original AUTH failed), COMMAND {@code {"id":n,"op":op}} padded to the
 * original size, {@code stream} with the count and size its recorded STREAM replies show, DATA/STREAM/HEARTBEAT zero
 * bytes of the original size, an INVALID frame a wrong magic (which ends the session, as it did).
 */
public final class ConnectionScript {
    /** One frame to send at the original time, and how many frames the gateway should answer with. */
    public record Step(long timeMillis, String type, byte[] frame, int expectedReplies, boolean awaitReply) {
    }

    static final byte[] INVALID_FRAME = {0x42, 0x41, 0x01, 0, 0, 0, 0}; // wrong magic: BAD_FRAME, close 1002
    static final String WRONG_TOKEN = "qp-replay-wrong-token";

    private ConnectionScript() {
    }

    /** @param events every frame event of one connection (IN and OUT), in any order */
    public static List<Step> build(List<FrameEvent> events, String token) {
        List<FrameEvent> sorted = new ArrayList<>(events);
        sorted.sort((a, b) -> Long.compare(a.seq(), b.seq()));
        List<Step> steps = new ArrayList<>();
        long commandId = 1;
        for (int i = 0; i < sorted.size(); i++) {
            FrameEvent e = sorted.get(i);
            if (e.direction() != Direction.IN) {
                continue;
            }
            MessageType type = typeOf(e.type());
            if (type == null) {
                steps.add(new Step(e.eventTimeMillis(), FrameEvent.INVALID_TYPE, INVALID_FRAME, 1, false));
                continue;
            }
            switch (type) {
                case AUTH -> {
                    byte[] t = (FrameEvent.OK.equals(e.outcome()) ? token : WRONG_TOKEN).getBytes(StandardCharsets.UTF_8);
                    steps.add(step(e, type, t, 1, true));
                }
                case COMMAND -> {
                    String op = e.op() == null ? "echo" : e.op();
                    if ("stream".equals(op)) {
                        int[] countSize = streamReplies(sorted, i);
                        String json = "{\"id\":" + commandId++ + ",\"op\":\"stream\",\"args\":{\"count\":" + countSize[0]
                                + ",\"size\":" + countSize[1] + "}}";
                        steps.add(step(e, type, json.getBytes(StandardCharsets.UTF_8), 1 + countSize[0], false));
                    } else {
                        steps.add(step(e, type, command(commandId++, op, e.rawBytes()), 1, false));
                    }
                }
                case DATA, HEARTBEAT -> steps.add(step(e, type, new byte[e.rawBytes()], 1, false));
                case STREAM -> steps.add(step(e, type, new byte[e.rawBytes()], 0, false));
                case ERROR -> steps.add(step(e, type, "{\"code\":\"REPLAYED\",\"message\":\"replayed client error\"}"
                        .getBytes(StandardCharsets.UTF_8), 0, false));
                default -> steps.add(step(e, type, new byte[e.rawBytes()], 0, false)); // ACK from a client: no reply
            }
        }
        return steps;
    }

    private static Step step(FrameEvent e, MessageType type, byte[] raw, int replies, boolean await) {
        return new Step(e.eventTimeMillis(), type.name(), FrameEncoder.encode(type, raw, e.compressed()), replies, await);
    }

    /** The STREAM frames the gateway sent for the command at {@code index}: up to the next IN frame. */
    private static int[] streamReplies(List<FrameEvent> sorted, int index) {
        int count = 0;
        int size = 0;
        for (int j = index + 1; j < sorted.size() && sorted.get(j).direction() == Direction.OUT; j++) {
            if ("STREAM".equals(sorted.get(j).type())) {
                size = count == 0 ? sorted.get(j).rawBytes() : size;
                count++;
            }
        }
        return new int[] {count, size};
    }

    /** {"id":n,"op":"op"} padded with {"args":{"pad":"..."}} to {@code rawBytes} when the original was larger. */
    static byte[] command(long id, String op, int rawBytes) {
        String plain = "{\"id\":" + id + ",\"op\":" + quote(op) + "}";
        String padded = "{\"id\":" + id + ",\"op\":" + quote(op) + ",\"args\":{\"pad\":\"\"}}";
        int missing = rawBytes - padded.getBytes(StandardCharsets.UTF_8).length;
        if (missing < 0) {
            return plain.getBytes(StandardCharsets.UTF_8);
        }
        char[] pad = new char[missing];
        Arrays.fill(pad, 'x');
        return padded.replace("\"pad\":\"\"", "\"pad\":\"" + new String(pad) + "\"").getBytes(StandardCharsets.UTF_8);
    }

    private static String quote(String s) {
        return qp.protocol.json.QpJson.string(s);
    }

    private static MessageType typeOf(String name) {
        try {
            return MessageType.valueOf(name);
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }
}
