package qp.bench.load;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import qp.protocol.json.QpJson;

/**
 * What one load run measured, over the window after the warm-up. Latencies are round trips in microseconds, from
 * just before the request is handed to the client library to just after its reply is parsed.
 */
public record LoadResult(
        String url, String client, int connections, int inFlight, String mix, int payloadBytes, boolean compression,
        double rate, double seconds, double clientCpuSeconds, long replies, double repliesPerSec,
        double p50Micros, double p95Micros, double p99Micros, double p999Micros, double maxMicros, double meanMicros,
        LoadStats.Counters counters, ProcessIo wire) {

    static LoadResult of(LoadPlan plan, String client, double seconds, double cpuSeconds, Histogram h,
            LoadStats.Counters counters, ProcessIo wire) {
        return new LoadResult(plan.url().toString(), client, plan.connections(), plan.inFlight(), plan.mix().toString(),
                plan.payloadBytes(), plan.compression(), plan.rate(), seconds, cpuSeconds, h.getTotalCount(), h.getTotalCount() / seconds,
                micros(h.getValueAtPercentile(50)), micros(h.getValueAtPercentile(95)),
                micros(h.getValueAtPercentile(99)), micros(h.getValueAtPercentile(99.9)), micros(h.getMaxValue()),
                h.getTotalCount() == 0 ? 0 : h.getMean() / 1000.0, counters, wire);
    }

    private static double micros(long nanos) {
        return nanos / 1000.0;
    }

    public ObjectNode toJson() {
        ObjectNode n = QpJson.object();
        n.put("url", url).put("client", client).put("connections", connections).put("inFlight", inFlight)
                .put("mix", mix).put("payloadBytes", payloadBytes).put("compression", compression).put("rate", rate)
                .put("seconds", round(seconds)).put("replies", replies).put("repliesPerSec", round(repliesPerSec))
                .put("clientCpuSeconds", round(clientCpuSeconds)).put("clientCpuMicrosPerReply", round(clientCpuMicrosPerReply()));
        if (wire.known() && replies > 0) {
            n.put("wireBytesSentPerReply", round((double) wire.writtenBytes() / replies))
                    .put("wireBytesReceivedPerReply", round((double) wire.readBytes() / replies));
        }
        ObjectNode lat = n.putObject("roundTripMicros");
        lat.put("p50", round(p50Micros)).put("p95", round(p95Micros)).put("p99", round(p99Micros))
                .put("p999", round(p999Micros)).put("max", round(maxMicros)).put("mean", round(meanMicros));
        n.put("errors", counters.errors()).put("unmatched", counters.unmatched())
                .put("sendFailures", counters.sendFailures()).put("closes", counters.closes())
                .put("streamFrames", counters.streamFrames()).put("missed", counters.missed());
        ObjectNode codes = n.putObject("errorCodes");
        counters.errorCodes().forEach(codes::put);
        ObjectNode closeCodes = n.putObject("closeCodes");
        counters.closeCodes().forEach((k, v) -> closeCodes.put(String.valueOf(k), v));
        return n;
    }

    /** CPU the load generator's JVM spent per reply in the measured window. */
    public double clientCpuMicrosPerReply() {
        return replies == 0 ? 0 : clientCpuSeconds * 1e6 / replies;
    }

    public String toText() {
        return String.format(Locale.ROOT,
                "target      %s (%s client)%n"
                        + "load        %d connections x %d in flight, mix %s, payload %d B%s%s%n"
                        + "measured    %.1f s, %d replies, %.0f replies/s (client CPU %.1f s, %.1f us per reply)%n"
                        + "round trip  p50 %.0f us, p95 %.0f us, p99 %.0f us, p99.9 %.0f us, max %.0f us, mean %.0f us%n"
                        + "errors      %d %s, unmatched %d, send failures %d, closes by server %d %s%n"
                        + "wire        %s",
                url, client, connections, inFlight, mix, payloadBytes, compression ? ", compression on" : "",
                rate > 0 ? String.format(Locale.ROOT, ", paced at %.0f requests/s (%d due while all were in flight, not sent)",
                        rate, counters.missed()) : "",
                seconds, replies, repliesPerSec, clientCpuSeconds, clientCpuMicrosPerReply(), p50Micros, p95Micros, p99Micros, p999Micros, maxMicros, meanMicros,
                counters.errors(), counters.errorCodes(), counters.unmatched(), counters.sendFailures(),
                counters.closes(), counters.closeCodes(), !wire.known() || replies == 0 ? "unknown (no /proc)"
                        : String.format(Locale.ROOT, "%.1f B sent + %.1f B received per reply (this process's socket I/O)",
                        (double) wire.writtenBytes() / replies, (double) wire.readBytes() / replies));
    }

    private static double round(double v) {
        return Math.round(v * 10.0) / 10.0;
    }
}
