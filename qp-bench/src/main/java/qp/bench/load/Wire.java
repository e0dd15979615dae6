package qp.bench.load;

import java.nio.ByteBuffer;

/** One open WebSocket as the load generator sees it, whatever client library is underneath. */
interface Wire {
    /** Sends one binary message; may be called from any thread; never blocks on the network. */
    void send(ByteBuffer message);

    /** Starts a normal close; the transport reports the server's close to the session. */
    void close(int code);
}
