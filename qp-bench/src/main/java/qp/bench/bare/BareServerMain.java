package qp.bench.bare;

import io.undertow.Handlers;
import io.undertow.Undertow;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The ceiling for gateway benchmarks ({@code bin/qp bare}): an Undertow WebSocket server on {@code /qp} that does
 * only QP framing, any-token AUTH, and the built-in ops, handled on the I/O threads. The same listener answers the
 * echo and DATA ops as plain HTTP/1.1 JSON ({@code POST /echo}, {@code POST /data}, see {@link HttpJsonOps}), so QP and
 * REST are compared on the same Undertow. Runs until killed.
 */
@Command(name = "qp bare", mixinStandardHelpOptions = true,
        description = {"Bare Undertow QP server (framing + echo only): the throughput ceiling for the gateway benchmark.",
                "The same port answers POST /echo and POST /data over HTTP/1.1 JSON, for the QP-vs-HTTP benchmark."})
public final class BareServerMain implements Callable<Integer> {
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "9997", description = "Port to bind (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--io-threads", defaultValue = "0",
            description = "Undertow I/O threads; 0 = Undertow's default, max(2, cores) (default ${DEFAULT-VALUE}).")
    int ioThreads;

    @Option(names = "--max-frame-bytes", defaultValue = "1048576", description = "Largest payload accepted (default ${DEFAULT-VALUE}).")
    long maxFrameBytes;

    /** Starts the server; the caller stops it. */
    public static Undertow start(String host, int port, int ioThreads, long maxFrameBytes) {
        Undertow.Builder builder = Undertow.builder()
                .addHttpListener(port, host)
                .setHandler(Handlers.path().addExactPath("/qp", Handlers.websocket((exchange, channel) -> {
                    channel.getReceiveSetter().set(new BareQpSession(maxFrameBytes));
                    channel.resumeReceives();
                })).addExactPath("/echo", HttpJsonOps.echo()).addExactPath("/data", HttpJsonOps.data()));
        if (ioThreads > 0) {
            builder.setIoThreads(ioThreads);
        }
        Undertow server = builder.build();
        server.start();
        return server;
    }

    @Override
    public Integer call() throws InterruptedException {
        Undertow server = start(host, port, ioThreads, maxFrameBytes);
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "bare-server-stop"));
        System.out.println("bare QP server listening on ws://" + host + ":" + port + "/qp and http://" + host + ":" + port + "/echo, /data");
        System.out.flush();
        new CountDownLatch(1).await();
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BareServerMain()).execute(args));
    }
}
