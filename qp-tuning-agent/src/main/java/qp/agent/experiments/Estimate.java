package qp.agent.experiments;

/**
 * The effect of the treatment on a metric, relative to control, with its interval: {@code effect = treatment /
 * control - 1} on the stratified metric, so -0.30 is 30% lower (better, every metric being lower-is-better).
 *
 * @param effect           the point estimate
 * @param low              the interval's lower end
 * @param high             the interval's upper end
 * @param level            the interval's confidence level (0.95, or the stricter level of an early look)
 * @param control          the stratified metric in the control arm
 * @param treatment        the same in the treatment arm
 * @param framesControl    frames of the control arm that the metric read
 * @param framesTreatment  frames of the treatment arm
 * @param unitsControl     replicates (buckets or blocks) of the control arm
 * @param unitsTreatment   replicates of the treatment arm
 */
public record Estimate(
        double effect,
        double low,
        double high,
        double level,
        double control,
        double treatment,
        long framesControl,
        long framesTreatment,
        int unitsControl,
        int unitsTreatment) {

    /** The interval lies wholly on the harmful side (the metric is higher in treatment). */
    public boolean clearlyHarmful() {
        return low > 0;
    }

    /** The interval lies wholly below {@code -minImprovement}: at least that much better. */
    public boolean clearlyBetterBy(double minImprovement) {
        return high < -minImprovement;
    }
}
