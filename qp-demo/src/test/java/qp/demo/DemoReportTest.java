package qp.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import qp.bench.scenario.Phase;
import qp.bench.scenario.PhaseCounts;
import qp.bench.scenario.ScenarioRunner;
import qp.bench.scenario.ScenarioScript;

/** The report and the status line show the experiments as the store has them; the loop closes only on an adoption. */
class DemoReportTest {
    private static final long T0 = 1_796_600_000_000L;
    private final MemorySampler memory = new MemorySampler(List::of);
    private final List<DemoReport.PlayedPhase> phases = List.of(
            played(Phase.COMPRESSIBLE, T0, T0 + 100_000), played(Phase.BULKY, T0 + 100_000, T0 + 200_000));

    @Test
    void anExperimentKeptAndEndedClosesTheLoopAndEveryExperimentIsListedWithItsVerdictAndInterval() {
        ExperimentSeen kept = experiment("x-1", "edge-1", "compression_threshold", 0, 4096, "ended", "kept", -0.93, -0.95,
                -0.91, 0.999, T0 + 41_000, T0 + 71_000);
        ExperimentSeen guard = experiment("x-2", "edge-2", "compression_threshold", 0, 32768, "ended", "guard", -0.24,
                -0.24, -0.24, 0.95, T0 + 140_000, T0 + 166_000);
        boolean[] closed = new boolean[1];

        String report = DemoReport.report(phases, new LoopState(), List.of(), List.of(kept, guard), true, memory, closed);

        assertThat(closed[0]).isTrue();
        assertThat(report).contains(
                "x-1 edge-1 compression_threshold off -> 4096 bytes: kept; wire_bytes_per_raw_byte -93% [-95%, -91%] at "
                        + "99.9%; frames 600 control / 300 treatment",
                "started 41 s into compressible, ended 30 s later",
                "x-2 edge-2 compression_threshold off -> 32768 bytes: guard; wire_bytes_per_raw_byte -24% [-24%, -24%] "
                        + "at 95%",
                "started 40 s into bulky, ended 26 s later",
                "The loop closed: 1 experiment(s) kept and adopted (experiments {guard=1, kept=1}).");
    }

    @Test
    void aVerdictNotYetSentToTheGatewayOrNoExperimentAtAllLeavesTheLoopOpen() {
        ExperimentSeen ending = experiment("x-1", "edge-1", "compression_threshold", 0, 4096, "ending", "kept", -0.9,
                -0.95, -0.85, 0.999, T0 + 41_000, null);
        boolean[] closed = new boolean[1];
        String report = DemoReport.report(phases, new LoopState(), List.of(), List.of(ending), true, memory, closed);
        assertThat(closed[0]).isFalse();
        assertThat(report).contains("kept (ending)", "The loop did NOT close: no experiment was kept (experiments {kept=1})");

        report = DemoReport.report(phases, new LoopState(), List.of(), List.of(), true, memory, closed);
        assertThat(closed[0]).isFalse();
        assertThat(report).contains("none: no recommendation passed the agent's gates",
                "The loop did NOT close: no experiment was kept (no experiment).");
    }

    @Test
    void theStatusLineShowsRunningAndEndedExperiments() {
        ExperimentSeen running = experiment("x-3", "edge-2", "buffer_size", 8192, 16384, "running", null, null, null,
                null, null, T0, null);
        ExperimentSeen kept = experiment("x-1", "edge-1", "compression_threshold", 0, 4096, "ended", "kept", -0.93, -0.95,
                -0.91, 0.999, T0, T0 + 30_000);
        String status = DemoReport.status("01:30/05:00", "phase 2/5 compressible 60%", new LoopState(), List.of(),
                List.of(kept, running), true, memory);
        assertThat(status).contains("| experiments x-1 edge-1 compression_threshold off -> 4096 bytes: kept; "
                + "wire_bytes_per_raw_byte -93% [-95%, -91%] at 99.9%; frames 600 control / 300 treatment / x-3 edge-2 "
                + "buffer_size 8192 bytes -> 16384 bytes: running 50%; stream_latency (no interval yet) |");
    }

    private static ExperimentSeen experiment(String id, String node, String parameter, long control, long treatment,
            String status, String verdict, Double effect, Double low, Double high, Double level, long started,
            Long ended) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", id);
        row.put("recommendation_id", "rules-" + id);
        row.put("node_id", node);
        row.put("parameter", parameter);
        row.put("control_value", control);
        row.put("treatment_value", treatment);
        row.put("assignment", "session");
        row.put("share", 0.5);
        row.put("status", status);
        row.put("target_metric", parameter.equals("buffer_size") ? "stream_latency" : "wire_bytes_per_raw_byte");
        row.put("effect", effect);
        row.put("interval_low", low);
        row.put("interval_high", high);
        row.put("interval_level", level);
        row.put("frames_control", effect == null ? null : 600L);
        row.put("frames_treatment", effect == null ? null : 300L);
        row.put("verdict", verdict);
        row.put("sentence", verdict == null ? null : "experiment " + id + ": ... | " + verdict);
        row.put("created_at_ms", started);
        row.put("started_at_ms", started);
        row.put("ended_at_ms", ended);
        return ExperimentSeen.of(row);
    }

    private static DemoReport.PlayedPhase played(Phase phase, long start, long end) {
        PhaseCounts.Snapshot none = new PhaseCounts().snapshot();
        return new DemoReport.PlayedPhase(new ScenarioRunner.PhaseResult(
                new ScenarioScript.Step(phase, Duration.ofMillis(end - start)), none), start, end);
    }
}
