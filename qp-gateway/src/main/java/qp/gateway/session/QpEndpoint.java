package qp.gateway.session;

import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.util.concurrent.atomic.AtomicLong;
import qp.protocol.frame.ErrorCode;

/** Accepts WebSocket connections on {@code /qp}: admits them as sessions, or refuses them with OVERLOADED / SHUTTING_DOWN. */
public final class QpEndpoint implements WebSocketConnectionCallback {
    private final SessionServices services;
    private final AtomicLong connections = new AtomicLong();

    public QpEndpoint(SessionServices services) {
        this.services = services;
    }

    @Override
    public void onConnect(WebSocketHttpExchange exchange, WebSocketChannel channel) {
        Session session = new Session(services, channel, "c" + connections.incrementAndGet());
        if (!services.accepting().getAsBoolean()) {
            session.start();
            session.refuse(ErrorCode.SHUTTING_DOWN, "the gateway is shutting down; reconnect to another node");
            return;
        }
        // the node's limit, or under a switchback experiment the arm of the block in force: the refusal's event
        // carries that arm and block, as the session computed them here
        long max = session.params().params().maxConnections();
        if (!services.sessions().tryAdmit(session, max)) {
            session.start();
            session.refuse(ErrorCode.OVERLOADED, "the gateway is at max_connections (" + max + "); retry later");
            return;
        }
        session.start();
    }
}
