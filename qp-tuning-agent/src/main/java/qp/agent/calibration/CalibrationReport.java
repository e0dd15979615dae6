package qp.agent.calibration;

import java.util.List;

/**
 * How well confidence predicted the experiments' verdicts: per source and overall, a reliability table and the Brier
 * score, whether the gate calibrates that source yet, and the isotonic fit it uses when it does.
 *
 * @param minOutcomes   decided outcomes a source needs before the gate calibrates it ({@code --calibration-min-outcomes})
 * @param stopped       experiments ended by an operator (or lost by their gateway): left out
 * @param failedToStart experiments that never started: left out
 */
public record CalibrationReport(int minOutcomes, int stopped, int failedToStart, String leftOut, Source overall,
        List<Source> sources) {
    static final String LEFT_OUT = "outcomes are recommendations whose experiment ended kept (kept) or no_effect, harm, "
            + "guard or timed_out (not kept); experiments stopped by an operator and ones that failed to start are left out";

    /**
     * @param fit the isotonic fit's blocks when calibration is active for the source, else empty
     */
    public record Source(String source, int outcomes, int kept, boolean calibrationActive, String note,
            Reliability reliability, List<IsotonicFit.Block> fit) {
    }
}
