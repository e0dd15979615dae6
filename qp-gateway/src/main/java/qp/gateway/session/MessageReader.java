package qp.gateway.session;

import io.undertow.websockets.core.StreamSourceFrameChannel;
import io.undertow.websockets.core.WebSocketChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import qp.gateway.metrics.GatewayMetrics;
import qp.gateway.experiments.SessionArm;
import qp.protocol.frame.ErrorCode;
import qp.protocol.frame.Frame;
import qp.protocol.frame.FrameException;
import qp.protocol.frame.FrameReader;

/**
 * Reads a session's binary messages as their bytes arrive and hands whole frames to the session at once; bad bytes
 * are reported as soon as they are recognisable. Pauses while the client does not read its replies. IO thread only.
 */
final class MessageReader {
    private static final Logger LOG = LoggerFactory.getLogger(MessageReader.class);

    /** What the reader needs from its session. */
    interface Frames {
        SessionState state();

        /** A read brought bytes in: the frames it completes were received now. */
        void received();

        /** max_frame_bytes as it was when the last read came in. */
        long maxFrameBytes();

        void frame(Frame f);

        /** Bytes that break PROTOCOL.md: the session ends. */
        void unreadable(FrameException e, int wireBytes);
    }

    private final WebSocketChannel channel;
    private final String connectionId;
    private final GatewayMetrics metrics;
    private final SessionArm arm;
    private final Frames session;
    private final InboundBuffer inbound;
    private final ChannelListener<StreamSourceFrameChannel> readListener = this::read;
    /** The binary message being read, null between messages. */
    private StreamSourceFrameChannel current;
    private long messageBytes;
    /** Reading stopped because the client does not read what it asked for (see FrameWriter). */
    private boolean paused;
    private boolean decoding;

    MessageReader(WebSocketChannel channel, String connectionId, GatewayMetrics metrics, SessionArm arm,
            Frames session) {
        this.channel = channel;
        this.connectionId = connectionId;
        this.metrics = metrics;
        this.arm = arm;
        this.session = session;
        this.inbound = new InboundBuffer((int) arm.current().params().bufferSizeBytes());
    }

    /** A new binary message. */
    void start(StreamSourceFrameChannel message) {
        messageBytes = 0;
        current = message;
        read(message);
    }

    /** Reads a message the session does not want (a text message) and drops it. */
    void drain(StreamSourceFrameChannel message) {
        read(message);
    }

    private void read(StreamSourceFrameChannel message) {
        try {
            while (true) {
                boolean dropping = !session.state().handlesFrames();
                if (paused && !dropping) {
                    message.getReadSetter().set(readListener);
                    message.suspendReads(); // resume() wakes it
                    return;
                }
                ByteBuffer dst = inbound.forRead();
                if (dropping) {
                    dst.clear(); // the session is ending: what arrives now is read (for the close handshake) and dropped
                }
                int n = message.read(dst);
                if (n == -1) {
                    current = null;
                    message.suspendReads();
                    endOfMessage();
                    return;
                }
                if (n == 0) {
                    message.getReadSetter().set(readListener);
                    message.resumeReads();
                    return;
                }
                if (!dropping) {
                    messageBytes += n;
                    session.received();
                    decode();
                }
            }
        } catch (IOException e) {
            LOG.debug("connection {}: read failed: {}", connectionId, e.toString());
            IoUtils.safeClose(channel);
        } catch (RuntimeException e) {
            LOG.warn("connection {}: unexpected failure; closing it", connectionId, e);
            IoUtils.safeClose(channel);
        }
    }

    private void decode() {
        decoding = true;
        try {
            decodeFrames();
        } finally {
            decoding = false;
        }
    }

    private void decodeFrames() {
        long maxFrameBytes = session.maxFrameBytes();
        int wholeEnd = inbound.scan(maxFrameBytes);
        FrameException badHeader = inbound.badHeader();
        if (wholeEnd > inbound.start()) {
            FrameReader reader = new FrameReader(inbound.view(inbound.start(), wholeEnd), maxFrameBytes);
            while (reader.hasNext()) {
                if (paused) { // the rest waits in the buffer until the client has read its replies
                    inbound.consumed(wholeEnd - reader.remaining());
                    return;
                }
                int frameBytes = reader.remaining();
                Frame frame;
                try {
                    frame = reader.next();
                } catch (FrameException e) { // a bad payload (zlib) in a frame whose header was good
                    session.unreadable(e, frameBytes);
                    return;
                }
                session.frame(frame);
                if (!session.state().handlesFrames()) {
                    return;
                }
            }
        }
        if (badHeader != null) {
            long offsetInMessage = messageBytes - (inbound.end() - wholeEnd);
            session.unreadable(badHeader.at(offsetInMessage), inbound.end() - wholeEnd);
            return;
        }
        inbound.consumed(wholeEnd);
    }

    private void endOfMessage() {
        if (session.state().handlesFrames()) {
            if (messageBytes == 0) {
                session.unreadable(new FrameException(ErrorCode.BAD_FRAME, null,
                        "empty binary message: a message holds one or more whole frames"), 0);
            } else if (!inbound.isEmpty()) {
                leftover();
            }
        }
        inbound.reset((int) arm.current().params().bufferSizeBytes()); // the session's own, its arm's in an experiment
    }

    /** The message ended inside a frame whose header was good: the frame reader says what is missing. */
    private void leftover() {
        int from = inbound.start();
        int to = inbound.end();
        try {
            new FrameReader(inbound.view(from, to), session.maxFrameBytes()).next();
            session.unreadable(new FrameException(ErrorCode.BAD_FRAME, null, "bytes that do not form a whole frame"),
                    to - from);
        } catch (FrameException e) {
            session.unreadable(e.at(messageBytes - (to - from)), to - from);
        }
    }

    /** Stops reading: the client has not read megabytes of replies; its requests wait in TCP meanwhile. */
    void pause() {
        SessionState state = session.state();
        if (!paused && state != SessionState.CLOSING && state != SessionState.CLOSED) {
            paused = true;
            metrics.readPaused();
            channel.suspendReceives();
        }
    }

    /** Reads again: first the whole frames already buffered, then the rest of the message, then new messages. */
    void resume() {
        if (!paused) {
            return;
        }
        paused = false;
        if (!session.state().handlesFrames() || !channel.isOpen()) {
            return;
        }
        channel.resumeReceives(); // the next message; delivered later, from the IO thread's loop
        if (decoding) {
            return; // a write inside decode() drained at once: decode() itself goes on with the next frame
        }
        decode();
        if (!paused && current != null) {
            current.wakeupReads();
        }
    }
}
