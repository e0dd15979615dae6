package qp.gateway.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import qp.gateway.experiments.ArmsInForce;
import qp.gateway.experiments.Experiments;
import qp.protocol.experiments.Assignment;
import qp.protocol.experiments.ExperimentSpec;
import qp.protocol.json.QpJson;

/**
 * An experiment as the admin API shows it: the fields of {@link ExperimentSpec} as they are (so the agent reads the
 * JSON back as one; values are numbers, 0 = off), and {@code "status": "running"}.
 */
final class ExperimentJson {
    private ExperimentJson() {
    }

    static ObjectNode spec(ExperimentSpec e) {
        ObjectNode o = QpJson.mapper().valueToTree(e);
        o.put("status", "running");
        return o;
    }

    /** The spec with where it stands now: under switchback the arm and block in force. */
    static ObjectNode status(ExperimentSpec e, long nowMillis) {
        ObjectNode o = spec(e);
        if (e.assignment() == Assignment.SWITCHBACK) {
            o.put("currentArm", ArmsInForce.arm(e, null, nowMillis).wire());
            o.put("block", ArmsInForce.block(e, nowMillis));
        }
        return o;
    }

    static ObjectNode ended(Experiments.Ended ended) {
        return QpJson.object().put("id", ended.id()).put("parameter", ended.parameter())
                .put("endedAtMillis", ended.endedAtMillis()).put("outcome", ended.outcome().wire());
    }
}
