package qp.gateway.session;

import io.undertow.websockets.core.StreamSourceFrameChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
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

    private final Session s;
    private final InboundBuffer inbound;
    private final ChannelListener<StreamSourceFrameChannel> readListener = this::read;
    /** The binary message being read, null between messages. */
    private StreamSourceFrameChannel current;
    private long messageBytes;
    /** Reading stopped because the client does not read what it asked for (see FrameWriter). */
    private boolean paused;
    private boolean decoding;

    MessageReader(Session s, int bufferSizeBytes) {
        this.s = s;
        this.inbound = new InboundBuffer(bufferSizeBytes);
    }

    /** A new binary message. */
    void start(StreamSourceFrameChannel message) {
        messageBytes = 0;
        current = message;
        read(message);
    }

    /** Reads a message the session no longer wants (it is closing) and drops it. */
    void drain(StreamSourceFrameChannel message) {
        read(message);
    }

    private void read(StreamSourceFrameChannel message) {
        try {
            while (true) {
                boolean dropping = s.closing || s.shuttingDown;
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
                    s.stamp();
                    decode();
                }
            }
        } catch (IOException e) {
            LOG.debug("connection {}: read failed: {}", s.connectionId, e.toString());
            IoUtils.safeClose(s.channel);
        } catch (RuntimeException e) {
            LOG.warn("connection {}: unexpected failure; closing it", s.connectionId, e);
            IoUtils.safeClose(s.channel);
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
        long maxFrameBytes = s.readParams.params().maxFrameBytes();
        int scanned = inbound.scan(maxFrameBytes);
        int wholeEnd = scanned >= 0 ? scanned : -scanned - 1;
        if (wholeEnd > inbound.start()) {
            int wholeStart = inbound.start();
            FrameReader reader = new FrameReader(inbound.view(wholeStart, wholeEnd), maxFrameBytes);
            while (reader.hasNext()) {
                if (paused) { // the rest waits in the buffer until the client has read its replies
                    inbound.consumed(wholeEnd - reader.remaining());
                    return;
                }
                int frameBytes = reader.remaining();
                Frame frame;
                try {
                    frame = reader.next();
                } catch (FrameException e) {
                    s.badFrame(e, frameBytes);
                    return;
                }
                s.handle(frame);
                if (s.closing) {
                    return;
                }
            }
        }
        if (scanned < 0) {
            badBytes(wholeEnd, inbound.end(), maxFrameBytes);
            return;
        }
        inbound.consumed(wholeEnd);
    }

    private void endOfMessage() {
        if (!s.closing && !s.shuttingDown) {
            if (messageBytes == 0) {
                s.services.metrics().frameIn(null, 0);
                s.fail(s.seq++, null, 0, ErrorCode.BAD_FRAME, "empty binary message: a message holds one or more whole frames");
            } else if (!inbound.isEmpty()) {
                badBytes(inbound.start(), inbound.end(), s.readParams.params().maxFrameBytes());
            }
        }
        inbound.reset((int) s.services.params().params().bufferSizeBytes());
    }

    /** The frame reader's verdict on bytes already known to be bad. */
    private void badBytes(int from, int to, long maxFrameBytes) {
        try {
            new FrameReader(inbound.view(from, to), maxFrameBytes).next();
            s.badFrame(new FrameException(ErrorCode.BAD_FRAME, null, "bytes that do not form a whole frame"), to - from);
        } catch (FrameException e) {
            s.badFrame(e, to - from);
        }
    }

    /** Stops reading: the client has not read megabytes of replies; its requests wait in TCP meanwhile. */
    void pause() {
        if (!paused && !s.closing) {
            paused = true;
            s.services.metrics().readPaused();
            s.channel.suspendReceives();
        }
    }

    /** Reads again: first the whole frames already buffered, then the rest of the message, then new messages. */
    void resume() {
        if (!paused) {
            return;
        }
        paused = false;
        if (s.closing || s.shuttingDown || !s.channel.isOpen()) {
            return;
        }
        s.channel.resumeReceives(); // the next message; delivered later, from the IO thread's loop
        if (decoding) {
            return; // a write inside decode() drained at once: decode() itself goes on with the next frame
        }
        decode();
        if (!paused && current != null) {
            current.wakeupReads();
        }
    }
}
