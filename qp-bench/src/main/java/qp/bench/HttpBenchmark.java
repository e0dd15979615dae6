package qp.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import qp.bench.load.LoadMain;
import qp.bench.load.ProcessIo;
import qp.protocol.json.QpJson;

/**
 * QP against plain HTTP/1.1 JSON on the same Undertow: the bare server (one JVM, {@code /qp} and {@code POST /echo},
 * {@code POST /data}) driven by the load generator over each transport in turn, the same op and payload and the same
 * number of outstanding requests (QP: several in flight per connection; HTTP: one per keep-alive connection), rounds
 * alternating which transport goes first. Bytes per operation are the server's socket I/O over the measured window
 * (/proc/PID/io), cross-checked with the client's.
 */
@Command(name = "http-benchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = "QP vs HTTP/1.1 JSON on the same Undertow server, side by side, alternating rounds, medians.")
public final class HttpBenchmark implements Callable<Integer> {
    @Option(names = "--rounds", defaultValue = "5", description = "Recorded rounds (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup-rounds", defaultValue = "1", description = "Unrecorded rounds first (default ${DEFAULT-VALUE}).")
    int warmupRounds;

    @Option(names = "--duration", defaultValue = "8s", description = "Measured window per load run (default ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--warmup", defaultValue = "2s", description = "Warm-up per load run (default ${DEFAULT-VALUE}).")
    String warmup;

    @Option(names = "--concurrency", defaultValue = "64",
            description = "Requests outstanding at any time, on both transports (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--qp-connections", defaultValue = "8",
            description = "QP connections; each keeps concurrency/qp-connections in flight. HTTP uses one connection "
                    + "per outstanding request (default ${DEFAULT-VALUE}).")
    int qpConnections;

    @Option(names = "--ops", defaultValue = "echo,data", split = ",", description = "Ops to compare (default ${DEFAULT-VALUE}).")
    List<String> ops;

    @Option(names = "--payload-bytes", defaultValue = "64", split = ",",
            description = "Payload sizes: echo COMMAND JSON padded to it (HTTP: the same args object), DATA bytes (default ${DEFAULT-VALUE}).")
    List<Integer> payloads;

    @Option(names = "--server-jvm-args", defaultValue = "-Xms256m -Xmx256m", description = "Default ${DEFAULT-VALUE}.")
    String serverJvmArgs;

    @Option(names = "--port", defaultValue = "9994", description = "Bare server port (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--out", defaultValue = "qp-bench/target/http-benchmark", description = "Logs and results (default ${DEFAULT-VALUE}).")
    Path out;

    /** One load run. Bytes are per reply: what the server read (= the client sent) and wrote. */
    record Run(int round, String op, int payload, String transport, double repliesPerSec, double p50Micros,
               double p99Micros, double serverReadBytes, double serverWrittenBytes, double clientSentBytes,
               double clientReceivedBytes, double serverCpuMicros, double clientCpuMicros, double otherCpuCores, long errors) {
    }

    @Override
    public Integer call() throws Exception {
        if (concurrency % qpConnections != 0) {
            throw new IllegalArgumentException("--concurrency must be a multiple of --qp-connections");
        }
        Path dir = out.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(dir);
        List<Run> runs = new ArrayList<>();
        try (ChildJvm server = ChildJvm.start("bare", ChildJvm.javaCommand(Arrays.asList(serverJvmArgs.trim().split("\\s+")),
                        "qp.bench.bare.BareServerMain", List.of("--port", String.valueOf(port))), Map.of(),
                dir.resolve("bare.log"), Pattern.compile("listening"), Duration.ofSeconds(60), new StringBuilder())) {
            log("bare server (QP and HTTP on the same listener) up on " + port + " (pid " + server.pid() + ")");
            List<String> order = new ArrayList<>(List.of("qp", "http"));
            for (int round = 1 - warmupRounds; round <= rounds; round++) {
                for (int payload : payloads) {
                    for (String op : ops) {
                        for (String transport : order) {
                            Run r = loadRun(round, op, payload, transport, server, dir);
                            log(String.format(Locale.ROOT, "%s %-4s %-4s %5d B %8.0f replies/s p50 %7.0f us p99 %7.0f us  "
                                            + "wire %.0f+%.0f B/op (client %.0f+%.0f)  CPU/op server %.1f client %.1f us  other %.2f cores",
                                    round < 1 ? "warm-up" : "round " + round, transport, op, payload, r.repliesPerSec(),
                                    r.p50Micros(), r.p99Micros(), r.serverReadBytes(), r.serverWrittenBytes(),
                                    r.clientSentBytes(), r.clientReceivedBytes(), r.serverCpuMicros(), r.clientCpuMicros(),
                                    r.otherCpuCores()));
                            if (round >= 1) {
                                runs.add(r);
                            }
                        }
                    }
                }
                Collections.reverse(order);
            }
        }
        ObjectNode summary = summarize(runs);
        Files.writeString(dir.resolve("summary.json"), QpJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(summary));
        System.out.println(table(summary));
        log("logs and summary.json in " + dir);
        return 0;
    }

    private Run loadRun(int round, String op, int payload, String transport, ChildJvm server, Path dir)
            throws IOException, InterruptedException {
        boolean qp = transport.equals("qp");
        List<String> args = List.of("--url", qp ? "ws://127.0.0.1:" + port + "/qp" : "http://127.0.0.1:" + port,
                "--connections", String.valueOf(qp ? qpConnections : concurrency),
                "--in-flight", String.valueOf(qp ? concurrency / qpConnections : 1),
                "--duration", duration, "--warmup", warmup, "--mix", op + "=1", "--payload-bytes", String.valueOf(payload),
                "--json", "--progress");
        ProcessBuilder pb = new ProcessBuilder(ChildJvm.javaCommand(List.of("-Xmx256m"), LoadMain.class.getName(), args))
                .redirectErrorStream(true);
        pb.environment().put("QP_TOKEN", "bench-token");
        Process p = pb.start();
        Path log = dir.resolve((round < 1 ? "warmup" + (1 - round) : "round" + round) + "-" + transport + "-" + op + "-" + payload + ".log");
        ProcessIo ioStart = null;
        ProcessIo io = null;
        double[] cpu0 = null;
        double[] cpu1 = null;
        JsonNode json = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter w = new PrintWriter(Files.newBufferedWriter(log))) {
            for (String line; (line = in.readLine()) != null; ) {
                w.println(line);
                if (line.equals("qp-load: measuring")) {
                    ioStart = ProcessIo.of(server.pid());
                    cpu0 = new double[] {MachineCpu.busySeconds(), server.cpuSeconds(), ChildJvm.cpuSeconds(p.pid())};
                } else if (line.equals("qp-load: measured")) {
                    io = ProcessIo.of(server.pid()).minus(ioStart);
                    cpu1 = new double[] {MachineCpu.busySeconds(), server.cpuSeconds(), ChildJvm.cpuSeconds(p.pid())};
                } else if (line.startsWith("{")) {
                    json = QpJson.tree(line.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        if (json == null || io == null) {
            throw new IllegalStateException("load run " + transport + " " + op + " gave no result; see " + log);
        }
        long replies = Math.max(1, json.get("replies").asLong());
        double seconds = json.get("seconds").asDouble();
        double serverCpu = cpu1[1] - cpu0[1];
        double clientCpu = cpu1[2] - cpu0[2];
        JsonNode lat = json.get("roundTripMicros");
        return new Run(round, op, payload, transport, json.get("repliesPerSec").asDouble(), lat.get("p50").asDouble(),
                lat.get("p99").asDouble(), (double) io.readBytes() / replies, (double) io.writtenBytes() / replies,
                json.path("wireBytesSentPerReply").asDouble(-1), json.path("wireBytesReceivedPerReply").asDouble(-1),
                serverCpu * 1e6 / replies, json.get("clientCpuMicrosPerReply").asDouble(),
                ((cpu1[0] - cpu0[0]) - serverCpu - clientCpu) / seconds,
                json.get("errors").asLong() + json.get("sendFailures").asLong() + json.get("closes").asLong());
    }

    private ObjectNode summarize(List<Run> runs) {
        ObjectNode s = QpJson.object();
        s.put("rounds", rounds).put("duration", duration).put("warmup", warmup).put("concurrency", concurrency)
                .put("qpConnections", qpConnections);
        ArrayNode rows = s.putArray("medians");
        for (int payload : payloads) {
            for (String op : ops) {
                for (String t : List.of("qp", "http")) {
                    List<Run> rs = runs.stream().filter(r -> r.payload() == payload && r.op().equals(op) && r.transport().equals(t)).toList();
                    ObjectNode m = rows.addObject().put("op", op).put("payloadBytes", payload).put("transport", t);
                    m.put("repliesPerSec", med(rs, Run::repliesPerSec)).put("p50Micros", med(rs, Run::p50Micros))
                            .put("p99Micros", med(rs, Run::p99Micros)).put("bytesRequest", med(rs, Run::serverReadBytes))
                            .put("bytesReply", med(rs, Run::serverWrittenBytes)).put("clientBytesSent", med(rs, Run::clientSentBytes))
                            .put("clientBytesReceived", med(rs, Run::clientReceivedBytes))
                            .put("serverCpuMicrosPerOp", med(rs, Run::serverCpuMicros)).put("clientCpuMicrosPerOp", med(rs, Run::clientCpuMicros))
                            .put("otherCpuCores", med(rs, Run::otherCpuCores)).put("errors", rs.stream().mapToLong(Run::errors).sum());
                }
            }
        }
        ArrayNode all = s.putArray("runs");
        runs.forEach(r -> all.add(QpJson.mapper().valueToTree(r)));
        return s;
    }

    private static double med(List<Run> rs, java.util.function.ToDoubleFunction<Run> f) {
        double[] v = rs.stream().mapToDouble(f).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        double m = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return Math.round(m * 10) / 10.0;
    }

    static String table(ObjectNode s) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "%n%d outstanding requests (QP: %d connections x %d in flight; HTTP/1.1: %d keep-alive connections x 1), "
                        + "%s measured after %s warm-up, medians of %d rounds%n%n", s.get("concurrency").asInt(),
                s.get("qpConnections").asInt(), s.get("concurrency").asInt() / s.get("qpConnections").asInt(),
                s.get("concurrency").asInt(), s.get("duration").asText(), s.get("warmup").asText(), s.get("rounds").asInt()));
        b.append("| op | payload B | transport | replies/s | p50 us | p99 us | bytes/op request | bytes/op reply | bytes/op total | server CPU us/op | client CPU us/op | other load (cores) | errors |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        JsonNode rows = s.get("medians");
        for (JsonNode m : rows) {
            b.append(String.format(Locale.ROOT, "| %s | %d | %s | %.0f | %.0f | %.0f | %.1f | %.1f | %.1f | %.1f | %.1f | %.2f | %d |%n",
                    m.get("op").asText(), m.get("payloadBytes").asInt(), m.get("transport").asText(), m.get("repliesPerSec").asDouble(),
                    m.get("p50Micros").asDouble(), m.get("p99Micros").asDouble(), m.get("bytesRequest").asDouble(),
                    m.get("bytesReply").asDouble(), m.get("bytesRequest").asDouble() + m.get("bytesReply").asDouble(),
                    m.get("serverCpuMicrosPerOp").asDouble(), m.get("clientCpuMicrosPerOp").asDouble(),
                    m.get("otherCpuCores").asDouble(), m.get("errors").asLong()));
        }
        b.append('\n');
        for (int i = 0; i + 1 < rows.size(); i += 2) {
            JsonNode qp = rows.get(i);
            JsonNode http = rows.get(i + 1);
            b.append(String.format(Locale.ROOT, "%s %d B: QP/HTTP throughput %.2fx, p50 HTTP/QP %.2fx, p99 HTTP/QP %.2fx, "
                            + "bytes per op HTTP/QP %.2fx, server CPU per op HTTP/QP %.2fx%n",
                    qp.get("op").asText(), qp.get("payloadBytes").asInt(),
                    qp.get("repliesPerSec").asDouble() / http.get("repliesPerSec").asDouble(),
                    http.get("p50Micros").asDouble() / qp.get("p50Micros").asDouble(),
                    http.get("p99Micros").asDouble() / qp.get("p99Micros").asDouble(),
                    (http.get("bytesRequest").asDouble() + http.get("bytesReply").asDouble())
                            / (qp.get("bytesRequest").asDouble() + qp.get("bytesReply").asDouble()),
                    http.get("serverCpuMicrosPerOp").asDouble() / qp.get("serverCpuMicrosPerOp").asDouble()));
        }
        return b.toString();
    }

    private static void log(String message) {
        System.err.println("[http-benchmark] " + message);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new HttpBenchmark()).execute(args));
    }
}
