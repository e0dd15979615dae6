package qp.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchmarkReportTest {

    private static GatewayBenchmark bench(int rounds) {
        GatewayBenchmark b = new GatewayBenchmark();
        new CommandLine(b).parseArgs("--rounds", String.valueOf(rounds));
        return b;
    }

    private static RoundResult run(int round, String target, double perSec, double p99, long dropped) {
        return new RoundResult(round, target, perSec, 1000, 2000, p99, 5000, 0, 0, 5, 0.2, 5, 1.0, dropped);
    }

    @Test
    void ratiosAreOfTheMediansAndTheTargetsNeedNoDroppedEvents() {
        List<RoundResult> runs = List.of(
                run(1, "bare", 100_000, 10_000, -1), run(1, "gateway", 80_000, 15_000, 0),
                run(2, "bare", 90_000, 12_000, -1), run(2, "gateway", 50_000, 30_000, 0),
                run(3, "bare", 110_000, 11_000, -1), run(3, "gateway", 75_000, 18_000, 0));
        ObjectNode s = BenchmarkReport.summarize(bench(3), runs, null, -1);
        assertThat(s.get("medians").get("bare").get("repliesPerSec").asDouble()).isEqualTo(100_000);
        assertThat(s.get("medians").get("gateway").get("repliesPerSec").asDouble()).isEqualTo(75_000);
        assertThat(s.get("throughputRatio").asDouble()).isEqualTo(0.75);
        assertThat(s.get("p99Ratio").asDouble()).isEqualTo(18_000.0 / 11_000, org.assertj.core.data.Offset.offset(0.001));
        assertThat(s.get("throughputTargetMet").asBoolean()).isTrue();
        assertThat(s.get("p99TargetMet").asBoolean()).isTrue();

        List<RoundResult> dropping = List.of(
                run(1, "bare", 100_000, 10_000, -1), run(1, "gateway", 90_000, 12_000, 42));
        ObjectNode d = BenchmarkReport.summarize(bench(1), dropping, null, -1);
        assertThat(d.get("throughputRatio").asDouble()).isEqualTo(0.9);
        assertThat(d.get("throughputTargetMet").asBoolean()).isFalse();
        assertThat(BenchmarkReport.text(bench(1), dropping, d)).contains("DROPPED 42 frame events");
    }
}
