package qp.gateway.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import qp.gateway.params.ParamsUpdate;
import qp.protocol.experiments.Assignment;
import qp.protocol.experiments.ExperimentSpec;
import qp.protocol.params.TunableParameter;
import qp.protocol.params.TunableParams;

/**
 * The body of {@code POST /experiment}, read as far as it can be without the node's state:
 * {@code {"id": "ct-1024", "parameter": "compression_threshold", "treatment": 1024, "treatmentShare": 0.2}}, with
 * optional {@code "assignment"} (the parameter's own), {@code "blockMillis"} (switchback, default 30 000) and
 * {@code "control"} (when given, the value the caller believes the node has). Values take {@code "off"} like
 * {@code PUT /params}.
 *
 * @param control null when the caller did not say; else checked against the node when the experiment starts
 */
public record ExperimentRequest(
        String id,
        String parameter,
        Long control,
        long treatment,
        double treatmentShare,
        Assignment assignment,
        long blockMillis) {

    public static final long DEFAULT_BLOCK_MILLIS = 30_000;

    /** A request that cannot be read; the message says which field and what is allowed. */
    public static final class Rejected extends Exception {
        Rejected(String message) {
            super(message);
        }
    }

    public static ExperimentRequest parse(JsonNode body) throws Rejected {
        if (body == null || !body.isObject()) {
            throw new Rejected("the body must be a JSON object, e.g. {\"id\": \"ct-1024\", \"parameter\": "
                    + "\"compression_threshold\", \"treatment\": 1024, \"treatmentShare\": 0.2}");
        }
        String id = body.path("id").isTextual() ? body.path("id").asText() : null;
        String parameter = body.path("parameter").isTextual() ? body.path("parameter").asText() : null;
        TunableParameter p = TunableParameter.byWireName(parameter);
        Assignment assignment = assignment(body.get("assignment"), p);
        if (p == null) {
            // ExperimentSpec.problem() names an unknown parameter (or a bad id before it)
            return new ExperimentRequest(id, parameter, null, 0, 0, assignment, 0);
        }
        JsonNode t = body.get("treatment");
        if (t == null || t.isNull()) {
            throw new Rejected("treatment: required, the value to try (" + p.unit() + ", " + p.min() + ".." + p.max()
                    + (p.allowsOff() ? ", or \"off\"" : "") + ")");
        }
        long treatment = value("treatment", p, t);
        JsonNode c = body.get("control");
        Long control = c == null || c.isNull() ? null : value("control", p, c);
        double share = 0;
        long blockMillis = 0;
        if (assignment == Assignment.SWITCHBACK) {
            JsonNode b = body.get("blockMillis");
            if (b == null || b.isNull()) {
                blockMillis = DEFAULT_BLOCK_MILLIS;
            } else if (b.isIntegralNumber() && b.canConvertToLong()) {
                blockMillis = b.asLong();
            } else {
                throw new Rejected("blockMillis: " + b + " is not an integer (ms, at least "
                        + ExperimentSpec.MIN_BLOCK_MILLIS + ")");
            }
        } else if (assignment == p.assignment()) { // else ExperimentSpec.problem() names the wrong assignment
            share = share(body.get("treatmentShare"));
        }
        return new ExperimentRequest(id, parameter, control, treatment, share, assignment, blockMillis);
    }

    /** The body of a ramp, {@code PUT /experiment}: {@code {"treatmentShare": 0.4}}. */
    public static double rampShare(JsonNode body) throws Rejected {
        if (body == null || !body.isObject()) {
            throw new Rejected("the body must be a JSON object {\"treatmentShare\": x}, x in "
                    + ExperimentSpec.MIN_SHARE + ".." + ExperimentSpec.MAX_SHARE);
        }
        return share(body.get("treatmentShare"));
    }

    /** {@code treatmentShare} of a POST or a ramp; the range is ExperimentSpec's to check. */
    private static double share(JsonNode s) throws Rejected {
        if (s == null || s.isNull()) {
            throw new Rejected("treatmentShare: required, the share of sessions in treatment ("
                    + ExperimentSpec.MIN_SHARE + ".." + ExperimentSpec.MAX_SHARE + ")");
        }
        if (!s.isNumber()) {
            throw new Rejected("treatmentShare: " + s + " is not a number (" + ExperimentSpec.MIN_SHARE + ".."
                    + ExperimentSpec.MAX_SHARE + ")");
        }
        return s.asDouble();
    }

    private static Assignment assignment(JsonNode a, TunableParameter p) throws Rejected {
        if (a == null || a.isNull()) {
            return p == null ? null : p.assignment();
        }
        try {
            return Assignment.ofWire(a.asText());
        } catch (IllegalArgumentException e) {
            throw new Rejected(e.getMessage());
        }
    }

    private static long value(String field, TunableParameter p, JsonNode v) throws Rejected {
        try {
            return ParamsUpdate.value(p, v);
        } catch (ParamsUpdate.Rejected r) {
            throw new Rejected(field + ": " + r.getMessage());
        }
    }

    /** The experiment this request starts on a node whose values are {@code node}: control is the node's value. */
    public ExperimentSpec spec(TunableParams node, long startedAtMillis) {
        TunableParameter p = TunableParameter.byWireName(parameter);
        long controlValue = p == null ? 0 : node.get(p);
        return new ExperimentSpec(id, parameter, controlValue, treatment, treatmentShare, assignment, blockMillis,
                startedAtMillis);
    }
}
