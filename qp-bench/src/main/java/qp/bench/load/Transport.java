package qp.bench.load;

import java.io.IOException;
import java.net.URI;

/** A WebSocket client library shared by all the load generator's connections. */
interface Transport extends AutoCloseable {
    /** Opens one connection whose received messages and close go to {@code session}. */
    Wire open(URI uri, LoadSession session) throws IOException;

    @Override
    void close();
}
