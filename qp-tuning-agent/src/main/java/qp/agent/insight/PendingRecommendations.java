package qp.agent.insight;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The {@code optimize} query: recommendations not applied yet, the recorded decision, what each gate says now. */
public final class PendingRecommendations {
    private final Connection db;
    private final GateCheck gates;

    public PendingRecommendations(Connection db, GateCheck gates) {
        this.db = db;
        this.gates = gates;
    }

    /**
     * @param wouldApply true when every recomputed gate passes
     */
    public record Item(OptimizationRow recommendation, List<GateCheck.Verdict> gates, boolean wouldApply) {
        public String firstFailingGate() {
            return gates.stream().filter(v -> !v.passes()).map(GateCheck.Verdict::gate).findFirst().orElse(null);
        }
    }

    /**
     * @param expectedImprovement per target metric, the combined expected improvement of the ones that would apply:
     *                            1 - product of (1 - expected) (improvements compound, they do not add up)
     */
    public record Result(List<Item> items, Map<String, Double> expectedImprovement) {
    }

    public Result query(String nodeId, long nowMillis) throws SQLException {
        Optimizations opts = new Optimizations(db);
        List<Item> items = new ArrayList<>();
        Map<String, Double> remaining = new TreeMap<>();
        for (OptimizationRow r : opts.withStatus(Optimizations.PENDING, nodeId, 0, 1000)) {
            GateCheck.Context c = new GateCheck.Context(opts.lastChangeMillis(r.nodeId(), r.parameter()),
                    opts.inFlight(r.nodeId()), nodeParamVersion(r.nodeId()), nowMillis);
            List<GateCheck.Verdict> verdicts = gates.check(r, c);
            boolean apply = verdicts.stream().allMatch(GateCheck.Verdict::passes);
            items.add(new Item(r, verdicts, apply));
            if (apply) {
                remaining.merge(r.targetMetric(), 1 - r.expectedImprovement(), (a, b) -> a * b);
            }
        }
        Map<String, Double> total = new LinkedHashMap<>();
        remaining.forEach((metric, left) -> total.put(metric, 1 - left));
        return new Result(items, total);
    }

    private Long nodeParamVersion(String nodeId) throws SQLException {
        String sql = "SELECT param_version FROM performance_metrics WHERE source = 'node' AND node_id = ? "
                + "ORDER BY window_end_ms DESC LIMIT 1";
        try (PreparedStatement p = db.prepareStatement(sql)) {
            p.setString(1, nodeId);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? OptimizationRow.nullableLong(rs, 1) : null;
            }
        }
    }
}
