package qp.gateway.experiments;

import qp.gateway.params.ParamsHolder;

/**
 * A node's experiment slot, and every transition of it in one place. Only {@link Experiments#move} changes it (by
 * moving the versioned state that holds the experiment), and only along these arrows:
 * <pre>
 *   NONE --START--> RUNNING --RAMP--> RUNNING
 *    ^                 |
 *    +--END (control)--+
 *    +--ADOPT----------+   (the node's value becomes the treatment in the same step)
 * </pre>
 * A restart resumes RUNNING when the gateway has a state dir; without one the slot starts NONE.
 */
enum ExperimentState {
    /** No experiment: every session and the node run with the node's values. */
    NONE,
    /** Units run with their arm's value of one parameter; everything else comes from the node. */
    RUNNING;

    /** What the admin API asks for. */
    enum Signal {
        /** POST /experiment */
        START,
        /** PUT /experiment: a new treatment share */
        RAMP,
        /** DELETE /experiment?outcome=control: everyone back on the control value */
        END,
        /** DELETE /experiment?outcome=adopt: the treatment becomes the node's value */
        ADOPT
    }

    static ExperimentState of(ParamsHolder.Versioned v) {
        return v.experiment() == null ? NONE : RUNNING;
    }

    /** The state after {@code signal}, or null when the signal has no meaning here (one experiment per node). */
    ExperimentState on(Signal signal) {
        return switch (this) {
            case NONE -> signal == Signal.START ? RUNNING : null;
            case RUNNING -> switch (signal) {
                case START -> null;
                case RAMP -> RUNNING;
                case END, ADOPT -> NONE;
            };
        };
    }
}
