package qp.bench.load;

import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import io.undertow.client.ClientExchange;
import io.undertow.client.ClientRequest;
import io.undertow.connector.ByteBufferPool;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StringReadChannelListener;
import io.undertow.util.StringWriteChannelListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * One HTTP/1.1 keep-alive connection of the load generator: one request at a time (no pipelining, as REST clients
 * do), the next one sent when the response body has been read. Echo is {@code POST /echo} with the same args object a
 * QP echo COMMAND carries; DATA is {@code POST /data} with the same payload; every request carries its bearer token.
 */
final class HttpLoadSession {
    private final ClientConnection connection;
    private final ByteBufferPool buffers;
    private final LoadStats stats;
    private final OpMix mix;
    private final SplittableRandom random;
    private final String host;
    private final String authorization;
    private final String echoBody;
    private final String dataBody;
    private volatile boolean running;
    private volatile boolean busy;

    HttpLoadSession(ClientConnection connection, ByteBufferPool buffers, LoadStats stats, OpMix mix, long seed,
            String host, String token, String echoBody, String dataBody) {
        this.connection = connection;
        this.buffers = buffers;
        this.stats = stats;
        this.mix = mix;
        this.random = new SplittableRandom(seed);
        this.host = host;
        this.authorization = "Bearer " + token;
        this.echoBody = echoBody;
        this.dataBody = dataBody;
    }

    void start() {
        running = true;
        connection.getIoThread().execute(this::sendNext);
    }

    void stop() {
        running = false;
    }

    int inFlight() {
        return busy && connection.isOpen() ? 1 : 0;
    }

    void close() {
        try {
            connection.close();
        } catch (IOException e) {
            // closing at the end of a run: nothing left to lose
        }
    }

    private void sendNext() {
        OpMix.Op op = mix.pick(random);
        boolean echo = op == OpMix.Op.ECHO;
        String body = echo ? echoBody : dataBody;
        ClientRequest request = new ClientRequest().setMethod(Methods.POST).setPath(echo ? "/echo" : "/data");
        request.getRequestHeaders().put(Headers.HOST, host)
                .put(Headers.CONTENT_TYPE, echo ? "application/json" : "application/octet-stream")
                .put(Headers.CONTENT_LENGTH, body.length())
                .put(Headers.AUTHORIZATION, authorization);
        busy = true;
        long sent = System.nanoTime();
        connection.sendRequest(request, new ClientCallback<>() {
            @Override
            public void completed(ClientExchange exchange) {
                exchange.setResponseListener(new ClientCallback<>() {
                    @Override
                    public void completed(ClientExchange response) {
                        int status = response.getResponse().getResponseCode();
                        new StringReadChannelListener(buffers) {
                            @Override
                            protected void stringDone(String reply) {
                                onReply(status, reply, sent);
                            }

                            @Override
                            protected void error(IOException e) {
                                onFailure();
                            }
                        }.setup(response.getResponseChannel());
                    }

                    @Override
                    public void failed(IOException e) {
                        onFailure();
                    }
                });
                new StringWriteChannelListener(body, StandardCharsets.US_ASCII).setup(exchange.getRequestChannel());
            }

            @Override
            public void failed(IOException e) {
                onFailure();
            }
        });
    }

    private void onReply(int status, String reply, long sentNanos) {
        busy = false;
        if (status == 200 && !reply.isEmpty()) {
            stats.roundTrip(System.nanoTime() - sentNanos);
        } else {
            stats.error("HTTP_" + status);
        }
        if (running && connection.isOpen()) {
            sendNext();
        }
    }

    private void onFailure() {
        busy = false;
        stats.sendFailures.increment();
        if (!connection.isOpen()) {
            stats.closedByServer(1006);
        } else if (running) {
            sendNext();
        }
    }
}
