package qp.gateway.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on loopback between Kafka clients and a broker ({@code EmbeddedKafka.startNew(proxy.port())} makes
 * the broker send its clients here). {@link #holdResponses()} stops passing the broker's bytes on the connections
 * open at that moment, while their requests still go through: the broker writes what it is sent and its
 * acknowledgements never arrive. Connections opened later relay both ways.
 */
final class ResponseHoldingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final List<Relay> relays = new CopyOnWriteArrayList<>();
    private volatile int brokerPort;

    ResponseHoldingProxy() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "test-proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    void relayTo(int brokerPort) {
        this.brokerPort = brokerPort;
    }

    /** From now on, the broker's bytes on every connection open now are read and thrown away. */
    void holdResponses() {
        relays.forEach(r -> r.holding = true);
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                Socket broker = new Socket(InetAddress.getLoopbackAddress(), brokerPort);
                Relay r = new Relay(client, broker);
                relays.add(r);
                pump(client.getInputStream(), broker.getOutputStream(), r, false);
                pump(broker.getInputStream(), client.getOutputStream(), r, true);
            } catch (IOException e) { // the broker is down: the client sees its connection closed, as it would
                closeQuietly(client);
            }
        }
    }

    private void pump(InputStream in, OutputStream out, Relay r, boolean fromBroker) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[64 * 1024];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (!(fromBroker && r.holding)) {
                        out.write(buf, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // one side went away
            } finally {
                r.close();
            }
        }, "test-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        relays.forEach(Relay::close);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    private final class Relay {
        final Socket client;
        final Socket broker;
        volatile boolean holding;

        Relay(Socket client, Socket broker) {
            this.client = client;
            this.broker = broker;
        }

        void close() {
            closeQuietly(client);
            closeQuietly(broker);
            relays.remove(this);
        }
    }
}
