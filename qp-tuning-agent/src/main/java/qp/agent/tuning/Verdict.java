package qp.agent.tuning;

/**
 * What verification concluded about an applied change.
 *
 * @param kind     wait for more windows, keep the change, or roll it back
 * @param before   the target metric over the windows before (null while waiting)
 * @param after    ... and after
 * @param observed the relative improvement, (before - after) / before; negative when it got worse
 * @param why      the sentence that ends the decision line ("kept", "rolled back: p99 latency rose 40% ...")
 */
public record Verdict(Kind kind, Double before, Double after, Double observed, String why) {
    public enum Kind { WAIT, KEEP, ROLL_BACK }

    static Verdict waiting(String why) {
        return new Verdict(Kind.WAIT, null, null, null, why);
    }
}
