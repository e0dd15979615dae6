package qp.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import qp.protocol.json.QpJson;

/** Medians, ratios and the printed table of a {@link GatewayBenchmark} run. */
final class BenchmarkReport {
    private BenchmarkReport() {
    }

    /** The settings, every run, the medians per target, the ratios and the event counts, as one JSON object. */
    static ObjectNode summarize(GatewayBenchmark b, List<RoundResult> results, String emitter, long events) {
        ObjectNode s = QpJson.object();
        s.put("connections", b.connections).put("inFlight", b.inFlight).put("payloadBytes", b.payloadBytes).put("mix", b.mix)
                .put("duration", b.duration).put("warmup", b.warmup).put("rounds", b.rounds).put("client", b.client)
                .put("clientThreads", b.clientThreads).put("serverJvmArgs", b.serverJvmArgs).put("warmupRounds", b.warmupRounds);
        ArrayNode all = s.putArray("runs");
        results.forEach(r -> all.add(QpJson.mapper().valueToTree(r)));
        ObjectNode med = s.putObject("medians");
        for (String t : b.targets) {
            List<RoundResult> rs = results.stream().filter(r -> r.target().equals(t)).toList();
            if (rs.isEmpty()) {
                continue;
            }
            ObjectNode m = med.putObject(t);
            m.put("repliesPerSec", median(rs, RoundResult::repliesPerSec)).put("p50Micros", median(rs, RoundResult::p50Micros))
                    .put("p95Micros", median(rs, RoundResult::p95Micros)).put("p99Micros", median(rs, RoundResult::p99Micros))
                    .put("serverCpuMicrosPerReply", median(rs, RoundResult::serverCpuMicrosPerReply))
                    .put("brokerCpuMicrosPerReply", median(rs, RoundResult::brokerCpuMicrosPerReply))
                    .put("clientCpuMicrosPerReply", median(rs, RoundResult::clientCpuMicrosPerReply))
                    .put("otherCpuCores", median(rs, RoundResult::otherCpuCores))
                    .put("errors", rs.stream().mapToLong(RoundResult::errors).sum())
                    .put("closes", rs.stream().mapToLong(RoundResult::closes).sum())
                    .put("eventsDroppedInWindows", rs.stream().allMatch(r -> r.eventsDropped() < 0) ? -1
                            : rs.stream().mapToLong(RoundResult::eventsDropped).filter(v -> v > 0).sum());
        }
        if (med.has("bare") && med.has("gateway")) {
            double tput = med.get("gateway").get("repliesPerSec").asDouble() / med.get("bare").get("repliesPerSec").asDouble();
            double p99 = med.get("gateway").get("p99Micros").asDouble() / med.get("bare").get("p99Micros").asDouble();
            // also the median of the ratios within each round, whose two runs saw the most similar machine
            List<Double> paired = new ArrayList<>();
            for (int round = 1; round <= b.rounds; round++) {
                int r0 = round;
                double bare = results.stream().filter(r -> r.round() == r0 && r.target().equals("bare")).mapToDouble(RoundResult::repliesPerSec).findFirst().orElse(Double.NaN);
                double g = results.stream().filter(r -> r.round() == r0 && r.target().equals("gateway")).mapToDouble(RoundResult::repliesPerSec).findFirst().orElse(Double.NaN);
                paired.add(g / bare);
            }
            double[] pr = paired.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double pairedMedian = pr.length % 2 == 1 ? pr[pr.length / 2] : (pr[pr.length / 2 - 1] + pr[pr.length / 2]) / 2;
            s.put("pairedThroughputRatioMedian", round3(pairedMedian));
            // events that were dropped did not flow to the broker: the gateway did less than the target asks
            long dropped = Math.max(0, med.get("gateway").get("eventsDroppedInWindows").asLong());
            s.put("throughputRatio", round3(tput)).put("p99Ratio", round3(p99))
                    .put("throughputTargetMet", tput >= 0.70 && dropped == 0).put("p99TargetMet", p99 <= 2.0 && dropped == 0);
        }
        if (med.has("bare") && med.has(GatewayBenchmark.NO_EVENTS)) {
            s.put("noEventsThroughputRatio", round3(med.get(GatewayBenchmark.NO_EVENTS).get("repliesPerSec").asDouble()
                    / med.get("bare").get("repliesPerSec").asDouble()));
        }
        if (emitter != null) {
            s.put("gatewayEmitter", emitter);
        }
        if (events >= 0) {
            s.put("framesTopicEvents", events);
        }
        return s;
    }

    static double median(List<RoundResult> rs, ToDoubleFunction<RoundResult> f) {
        double[] v = rs.stream().mapToDouble(f).sorted().toArray();
        double m = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return Math.round(m * 10) / 10.0;
    }

    static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** The summary as a person reads it: a markdown table of medians, the ratios, then every run. */
    static String text(GatewayBenchmark bench, List<RoundResult> results, ObjectNode s) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%n%d connections x %d in flight, %d-byte echo, %s measured after %s warm-up, %d rounds%n%n",
                bench.connections, bench.inFlight, bench.payloadBytes, bench.duration, bench.warmup, bench.rounds));
        b.append("| target | replies/s (median) | p50 us | p95 us | p99 us | server CPU us/reply | broker CPU us/reply | client CPU us/reply | other load (cores) |\n");
        b.append("|---|---|---|---|---|---|---|---|---|\n");
        s.get("medians").fields().forEachRemaining(e -> {
            JsonNode m = e.getValue();
            b.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.0f | %.1f | %.1f | %.1f | %.2f |%n", e.getKey(),
                    m.get("repliesPerSec").asDouble(), m.get("p50Micros").asDouble(), m.get("p95Micros").asDouble(),
                    m.get("p99Micros").asDouble(), m.get("serverCpuMicrosPerReply").asDouble(),
                    m.get("brokerCpuMicrosPerReply").asDouble(), m.get("clientCpuMicrosPerReply").asDouble(),
                    m.get("otherCpuCores").asDouble()));
        });
        if (s.has("throughputRatio")) {
            b.append(String.format(Locale.ROOT, "%nthroughput ratio gateway/bare %.3f (target >= 0.70: %s); p99 ratio %.3f (target <= 2.0: %s)%n",
                    s.get("throughputRatio").asDouble(), s.get("throughputTargetMet").asBoolean() ? "met" : "MISSED",
                    s.get("p99Ratio").asDouble(), s.get("p99TargetMet").asBoolean() ? "met" : "MISSED"));
            b.append(String.format(Locale.ROOT, "median of the per-round throughput ratios %.3f%n", s.get("pairedThroughputRatioMedian").asDouble()));
            long dropped = s.get("medians").get("gateway").get("eventsDroppedInWindows").asLong();
            if (dropped > 0) {
                b.append("the gateway's emitter DROPPED ").append(dropped)
                        .append(" frame events in the measured windows: the targets do not count as met\n");
            }
        }
        if (s.has("noEventsThroughputRatio")) {
            b.append(String.format(Locale.ROOT, "throughput ratio gateway-no-events/bare %.3f%n", s.get("noEventsThroughputRatio").asDouble()));
        }
        if (s.has("gatewayEmitter")) {
            b.append(s.get("gatewayEmitter").asText()).append('\n');
        }
        if (s.has("framesTopicEvents")) {
            b.append("qp.frames holds ").append(s.get("framesTopicEvents").asLong()).append(" events\n");
        }
        b.append("\nper run:\n");
        for (RoundResult r : results) {
            b.append(String.format(Locale.ROOT, "  round %d %-7s %8.0f/s p50 %6.0f p95 %6.0f p99 %6.0f max %7.0f us, errors %d, closes %d%s%n",
                    r.round(), r.target(), r.repliesPerSec(), r.p50Micros(), r.p95Micros(), r.p99Micros(), r.maxMicros(),
                    r.errors(), r.closes(), r.eventsDropped() >= 0 ? ", frame events dropped " + r.eventsDropped() : ""));
        }
        return b.toString();
    }
}
