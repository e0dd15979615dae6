package qp.protocol.experiments;

import qp.protocol.params.TunableParameter;

/**
 * An experiment as the agent starts it on a gateway ({@code POST /experiment}) and as the gateway reports it.
 *
 * @param id              unique per experiment; the arms' hash is seeded with it
 * @param parameter       the parameter's wire name
 * @param control         the value the control arm keeps (the node's value when the experiment started); 0 = off
 * @param treatment       the value the treatment arm gets
 * @param treatmentShare  session assignment: the share of sessions in treatment, 0.05..0.5 (ignored by switchback)
 * @param assignment      how units get their arm; must be the parameter's own ({@link TunableParameter#assignment()})
 * @param blockMillis     switchback: the length of one block (0 for session assignment)
 * @param startedAtMillis when the gateway started it (set by the gateway; 0 in a request)
 */
public record ExperimentSpec(
        String id,
        String parameter,
        long control,
        long treatment,
        double treatmentShare,
        Assignment assignment,
        long blockMillis,
        long startedAtMillis) {

    public static final double MIN_SHARE = 0.05;
    public static final double MAX_SHARE = 0.5;
    public static final long MIN_BLOCK_MILLIS = 1_000;

    /** Null when the spec is valid, else a sentence naming what is wrong and what is allowed. */
    public String problem() {
        if (id == null || !id.matches("[A-Za-z0-9._:-]{1,64}")) {
            return "id: 1-64 characters of letters, digits, '.', '_', ':' or '-'";
        }
        TunableParameter p = TunableParameter.byWireName(parameter);
        if (p == null) {
            return "parameter: unknown \"" + parameter + "\"";
        }
        String bad = p.validate(control);
        if (bad != null) {
            return "control: " + bad;
        }
        bad = p.validate(treatment);
        if (bad != null) {
            return "treatment: " + bad;
        }
        if (control == treatment) {
            return "treatment: equal to control (" + p.show(control) + "); an experiment needs two values";
        }
        if (assignment != p.assignment()) {
            return "assignment: " + parameter + " is assigned by " + p.assignment().wire() + ", not "
                    + (assignment == null ? "nothing" : assignment.wire());
        }
        if (assignment == Assignment.SESSION && !(treatmentShare >= MIN_SHARE && treatmentShare <= MAX_SHARE)) {
            return "treatmentShare: " + treatmentShare + " is outside " + MIN_SHARE + ".." + MAX_SHARE;
        }
        if (assignment == Assignment.SWITCHBACK && blockMillis < MIN_BLOCK_MILLIS) {
            return "blockMillis: " + blockMillis + " is under " + MIN_BLOCK_MILLIS + " ms";
        }
        return null;
    }

    public TunableParameter tunable() {
        return TunableParameter.byWireName(parameter);
    }

    /** The value an arm runs with. */
    public long value(Arm arm) {
        return arm == Arm.TREATMENT ? treatment : control;
    }

    public ExperimentSpec withShare(double share) {
        return new ExperimentSpec(id, parameter, control, treatment, share, assignment, blockMillis, startedAtMillis);
    }

    public ExperimentSpec startedAt(long millis) {
        return new ExperimentSpec(id, parameter, control, treatment, treatmentShare, assignment, blockMillis, millis);
    }
}
