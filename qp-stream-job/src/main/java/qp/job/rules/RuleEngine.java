package qp.job.rules;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import qp.job.analytics.AnalyticsSettings;
import qp.protocol.analytics.Recommendation;
import qp.protocol.analytics.WindowStats;
import qp.protocol.analytics.WindowView;
import qp.protocol.events.NodeMetrics;
import qp.protocol.params.TunableParameter;

/**
 * Per node: keeps the parameters in force (from node metrics) and runs the rules on each all-types tumbling window.
 * A rule speaks when it held in {@code sustainWindows} consecutive windows and the node/parameter is out of its
 * cool-down; confidence = 0.5 + 0.4·min(1, streak / (2·sustainWindows)). It speaks once more, cool-down or not, when
 * its streak reaches {@code 2·sustainWindows} (full confidence), as a proposal of its own id: the agent has judged the
 * first one already, and its gates may accept only the more confident one. Nodes without metrics get no
 * recommendation (the current value would be a guess). A node silent for {@code keyIdleMillis} is forgotten.
 */
public final class RuleEngine extends KeyedCoProcessFunction<String, WindowStats, NodeMetrics, Recommendation> {
    private final AnalyticsSettings.Rules settings;
    private final List<TuningRule> rules;
    private transient ValueState<NodeView> node;
    private transient ValueState<RuleState> ruleState;
    private transient ValueState<Long> cleanupAt;

    public RuleEngine(AnalyticsSettings.Rules settings, List<TuningRule> rules) {
        this.settings = settings;
        this.rules = List.copyOf(rules);
    }

    @Override
    public void open(OpenContext ctx) {
        node = getRuntimeContext().getState(new ValueStateDescriptor<>("node", TypeInformation.of(NodeView.class)));
        ruleState = getRuntimeContext().getState(
                new ValueStateDescriptor<>("rules", TypeInformation.of(RuleState.class)));
        cleanupAt = getRuntimeContext().getState(new ValueStateDescriptor<>("cleanup-at", Types.LONG));
    }

    @Override
    public void processElement1(WindowStats w, Context ctx, Collector<Recommendation> out) throws Exception {
        NodeView n = node.value();
        if (!w.isAllTypes() || w.view() != WindowView.TUMBLING || n == null || n.params() == null) {
            return;
        }
        RuleState s = ruleState.value();
        if (s != null && w.windowEndMillis() <= s.lastWindowEnd()) {
            return;
        }
        Map<String, Integer> streaks = new HashMap<>(s == null ? Map.of() : s.streaks());
        Map<String, Long> lastAt = new HashMap<>(s == null ? Map.of() : s.lastProposedAt());
        for (TuningRule rule : rules) {
            Optional<Proposal> p = rule.evaluate(w, n, settings);
            if (p.isEmpty()) {
                streaks.remove(rule.name());
                continue;
            }
            int streak = streaks.merge(rule.name(), 1, Integer::sum);
            Long last = lastAt.get(rule.name());
            boolean sustained = streak >= settings.sustainWindows();
            boolean coolingDown = last != null && w.windowEndMillis() - last < settings.cooldownMillis();
            boolean reachedFullConfidence = streak == 2 * settings.sustainWindows();
            if (sustained && (!coolingDown || reachedFullConfidence)) {
                out.collect(toRecommendation(w, n, rule, p.get(), streak));
                lastAt.put(rule.name(), w.windowEndMillis());
            }
        }
        // lastProposedAt entries older than the cool-down no longer matter
        lastAt.values().removeIf(t -> w.windowEndMillis() - t >= settings.cooldownMillis());
        ruleState.update(new RuleState(streaks, lastAt, w.windowEndMillis()));
        node.update(new NodeView(n.params(), n.paramVersion(), n.connections(), 0, n.metricsAtMillis()));
        keepUntil(w.windowEndMillis() + settings.keyIdleMillis(), ctx);
    }

    private Recommendation toRecommendation(WindowStats w, NodeView n, TuningRule rule, Proposal p, int streak) {
        double confidence = 0.5 + 0.4 * Math.min(1.0, streak / (2.0 * settings.sustainWindows()));
        String evidence = String.format("node %s | %s %s -> %s | expected -%.0f%% %s | %s | held %d windows "
                        + "(param version %d)", w.nodeId(), rule.parameter().wireName(),
                show(rule.parameter(), n.params().get(rule.parameter())), show(rule.parameter(), p.proposedValue()),
                100 * p.expectedImprovement(), p.targetMetric(), p.evidence(), streak, n.paramVersion());
        long current = n.params().get(rule.parameter());
        boolean full = streak >= 2 * settings.sustainWindows();
        String id = Recommendation.idFor(w.nodeId(), rule.parameter().wireName(), current, p.proposedValue(),
                n.paramVersion(), Recommendation.SOURCE_RULES, full ? rule.name() + "/sustained" : rule.name());
        return new Recommendation(id, w.nodeId(), rule.parameter().wireName(), current,
                p.proposedValue(), confidence, p.expectedImprovement(), p.targetMetric(),
                Recommendation.SOURCE_RULES, DefaultRules.VERSION, rule.name(), evidence, n.paramVersion(),
                w.windowEndMillis());
    }

    /** A value as a person reads it: "off", "2048 bytes", "45000 ms". */
    static String show(TunableParameter p, long value) {
        return p.show(value);
    }

    @Override
    public void processElement2(NodeMetrics m, Context ctx, Collector<Recommendation> out) throws Exception {
        NodeView prev = node.value();
        long timeouts = (prev == null ? 0 : prev.heartbeatTimeouts()) + Math.max(0, m.heartbeatTimeouts());
        node.update(new NodeView(m.params() != null ? m.params() : prev == null ? null : prev.params(),
                m.paramVersion(), m.connections(), timeouts, m.timestampMillis()));
        keepUntil(m.timestampMillis() + settings.keyIdleMillis(), ctx);
    }

    private void keepUntil(long t, Context ctx) throws Exception {
        Long current = cleanupAt.value();
        if (current != null && current >= t) {
            return;
        }
        if (current != null) {
            ctx.timerService().deleteEventTimeTimer(current);
        }
        ctx.timerService().registerEventTimeTimer(t);
        cleanupAt.update(t);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Recommendation> out) throws Exception {
        Long current = cleanupAt.value();
        if (current != null && current == timestamp) {
            node.clear();
            ruleState.clear();
            cleanupAt.clear();
        }
    }
}
