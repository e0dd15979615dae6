package qp.job.rules;

import java.io.Serializable;
import java.util.Optional;
import qp.job.analytics.AnalyticsSettings;
import qp.protocol.analytics.WindowStats;
import qp.protocol.params.TunableParameter;

/** One rule: given a node's all-types window and what its metrics say, a proposal for one parameter, or none. */
public interface TuningRule extends Serializable {

    /** A short stable name, e.g. {@code compress-large-payloads}. */
    String name();

    TunableParameter parameter();

    Optional<Proposal> evaluate(WindowStats w, NodeView node, AnalyticsSettings.Rules settings);

    /** Clamps into the parameter's range. */
    static long clamp(TunableParameter p, long v) {
        return Math.max(p.min(), Math.min(p.max(), v));
    }
}
