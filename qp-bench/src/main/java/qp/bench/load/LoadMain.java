package qp.bench.load;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import qp.protocol.json.QpJson;

/** {@code bin/qp load}: a closed-loop QP load generator against a gateway (or the bare server) on this machine. */
@Command(name = "qp load", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Drives a QP server on this machine: N connections, each keeping W requests in flight "
                + "(or, with --rate, paced at that many requests per second).",
                "Reports throughput (replies/s) and round-trip percentiles (HdrHistogram) after a warm-up."})
public final class LoadMain implements Callable<Integer> {
    @Option(names = "--url", defaultValue = "ws://127.0.0.1:9999/qp", description = "Server URL, loopback only: ws://HOST:PORT/qp for QP, or http://HOST:PORT for the same echo and "
                    + "data ops over HTTP/1.1 JSON (POST /echo, POST /data of bin/qp bare; --in-flight 1) (default ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--connections", defaultValue = "32", description = "Connections (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--in-flight", defaultValue = "8", description = "Requests outstanding per connection (default ${DEFAULT-VALUE}).")
    int inFlight;

    @Option(names = "--duration", defaultValue = "20s", converter = DurationConverter.class,
            description = "Measured window, e.g. 20s, 2m, 500ms (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "5s", converter = DurationConverter.class,
            description = "Load before the measured window, not reported (default ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--rate", defaultValue = "0",
            description = "Requests per second over all connections, paced (each connection still keeps at most "
                    + "--in-flight outstanding; a request due while all are full is counted as missed); 0 sends the "
                    + "next request when a reply comes (closed loop) (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--mix", defaultValue = "echo=1,ping=0,data=0,stream=0",
            description = "Relative weights of the ops (default ${DEFAULT-VALUE}).")
    String mix;

    @Option(names = "--payload-bytes", defaultValue = "64",
            description = "Echo COMMAND JSON padded to this size; DATA payload and STREAM chunk size (default ${DEFAULT-VALUE}).")
    int payloadBytes;

    @Option(names = "--stream-count", defaultValue = "4", description = "STREAM frames asked for per stream op (default ${DEFAULT-VALUE}).")
    int streamCount;

    @Option(names = "--token-env", defaultValue = "QP_TOKEN", description = "Environment variable holding the token (default ${DEFAULT-VALUE}).")
    String tokenEnv;

    @Option(names = "--token-file", description = "File holding the token (wins over --token-env).")
    Path tokenFile;

    @Option(names = "--compression", description = "Ask for compression in AUTH and compress what is sent.")
    boolean compression;

    @Option(names = "--client", defaultValue = "undertow",
            description = "WebSocket client: undertow (XNIO, cheaper) or jdk (java.net.http) (default ${DEFAULT-VALUE}).")
    String client;

    @Option(names = "--client-threads", defaultValue = "1",
            description = "Client I/O threads (undertow) or executor threads (jdk) (default ${DEFAULT-VALUE}).")
    int clientThreads;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    @Option(names = "--progress", description = "Print 'qp-load: measuring' and 'qp-load: measured' on stderr at the window's edges.")
    boolean progress;

    @Override
    public Integer call() throws Exception {
        if (!client.equals("undertow") && !client.equals("jdk")) {
            throw new IllegalArgumentException("--client must be undertow or jdk, got " + client);
        }
        if (clientThreads < 1 || clientThreads > 16) {
            throw new IllegalArgumentException("--client-threads must be 1..16");
        }
        LoadPlan plan = new LoadPlan(url, connections, inFlight, warmup, duration, OpMix.parse(mix), payloadBytes,
                streamCount, compression, token(), rate);
        LoadRun.PhaseListener phases = progress ? phase -> {
            System.err.println("qp-load: " + phase);
            System.err.flush();
        } : LoadRun.PhaseListener.NONE;
        LoadResult result = plan.http() ? HttpLoadRun.run(plan, clientThreads, phases)
                : LoadRun.run(plan, client, clientThreads, phases);
        System.out.println(json ? QpJson.string(result.toJson()) : result.toText());
        return result.replies() > 0 ? 0 : 1;
    }

    private String token() throws IOException {
        if (tokenFile != null) {
            return Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
        }
        String t = System.getenv(tokenEnv);
        return t == null ? null : t.strip();
    }

    public static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(java.util.Locale.ROOT);
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                default -> throw new IllegalArgumentException("duration '" + value + "': use 500ms, 20s or 2m");
            };
        }
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new LoadMain());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("qp load: " + e.getMessage());
            return 2;
        });
        System.exit(cli.execute(args));
    }
}
