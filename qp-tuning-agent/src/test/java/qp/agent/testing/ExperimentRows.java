package qp.agent.testing;

import qp.agent.experiments.Estimate;
import qp.agent.experiments.Experiment;
import qp.agent.experiments.ExperimentStatus;
import qp.agent.experiments.ExperimentVerdict;
import qp.agent.store.Database;
import qp.agent.store.SqliteExperimentStore;
import qp.protocol.experiments.Assignment;
import qp.protocol.params.TunableParameter;

/**
 * Experiments written to a real store through {@link SqliteExperimentStore}, taken through their life the way the
 * agent does ({@code moveTo}, {@code observed}, {@code decided}), so the rows are ones the agent could have written.
 */
public final class ExperimentRows {
    private final SqliteExperimentStore store;

    public ExperimentRows(Database db) {
        this.store = new SqliteExperimentStore(db);
    }

    public SqliteExperimentStore store() {
        return store;
    }

    /** An estimate with its interval and frames; the arms' metric values do not matter to what is shown. */
    public static Estimate estimate(double effect, double low, double high, double level, long framesControl,
            long framesTreatment) {
        return new Estimate(effect, low, high, level, 1.0, 1.0 + effect, framesControl, framesTreatment, 8, 8);
    }

    /** Planned and started at {@code startedMs}, on the parameter's own assignment and metric. */
    public Experiment started(String id, String nodeId, String parameter, long control, long treatment, double share,
            long startedMs) {
        TunableParameter p = TunableParameter.byWireName(parameter);
        boolean session = p.assignment() == Assignment.SESSION;
        Experiment e = new Experiment(id, id.replaceFirst("^x-", ""), nodeId, parameter, control, treatment,
                p.assignment(), session ? share : 0, session ? 0 : 60_000, p.goal().metric(), ExperimentStatus.STARTING,
                startedMs - 1_000);
        e.moveTo(ExperimentStatus.RUNNING, startedMs);
        store.save(e);
        return e;
    }

    /** A look at a running experiment: its latest estimate, saved. */
    public Experiment observed(Experiment e, Estimate estimate, long nowMs) {
        e.observed(estimate, nowMs, nowMs);
        store.save(e);
        return e;
    }

    /** The verdict recorded and the gateway's end confirmed at {@code endedMs}. */
    public Experiment ended(Experiment e, ExperimentVerdict verdict, Estimate estimate, String sentence, long endedMs) {
        e.decided(verdict, estimate, sentence, endedMs);
        e.moveTo(ExperimentStatus.ENDING, endedMs);
        e.moveTo(ExperimentStatus.ENDED, endedMs);
        store.save(e);
        return e;
    }
}
