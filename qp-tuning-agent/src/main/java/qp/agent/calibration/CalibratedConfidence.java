package qp.agent.calibration;

/**
 * The confidence the confidence gate compares: the calibrated one once the recommendation's source has
 * {@code minOutcomes} decided outcomes, else the raw one as sent.
 *
 * @param outcomes the source's decided outcomes the fit was made on (or that there are, below the minimum)
 */
public record CalibratedConfidence(double raw, double used, boolean calibrated, String source, int outcomes,
        int minOutcomes) {
    public static CalibratedConfidence raw(double raw, String source, int outcomes, int minOutcomes) {
        return new CalibratedConfidence(raw, raw, false, source, outcomes, minOutcomes);
    }

    /** "calibrated confidence 0.30 (raw 0.85, isotonic fit over 40 model outcomes)", or "confidence 0.85". */
    public String describe() {
        return calibrated ? String.format("calibrated confidence %.2f (raw %.2f, isotonic fit over %d %s outcomes)",
                used, raw, outcomes, source) : String.format("confidence %.2f", raw);
    }
}
