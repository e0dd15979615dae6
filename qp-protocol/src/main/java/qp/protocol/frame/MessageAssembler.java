package qp.protocol.frame;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * Joins the parts of one binary WebSocket message as a WebSocket listener (the JDK's among them) hands them over: a
 * QP message is only read whole ({@link FrameReader}). One per connection; not thread-safe, as listeners are called
 * one part at a time.
 */
public final class MessageAssembler {
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    /**
     * Adds one part. Returns the whole message with the last part, else null. A message that came in one part is
     * returned as given, without a copy: read it before the listener returns, as the JDK may reuse the buffer.
     */
    public ByteBuffer add(ByteBuffer part, boolean last) {
        if (last && partial.size() == 0) {
            return part;
        }
        byte[] chunk = new byte[part.remaining()];
        part.get(chunk);
        partial.writeBytes(chunk);
        if (!last) {
            return null;
        }
        ByteBuffer message = ByteBuffer.wrap(partial.toByteArray());
        partial.reset();
        return message;
    }
}
