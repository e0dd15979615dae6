package qp.job.bigrams;

import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import qp.protocol.analytics.BigramCount;
import qp.protocol.analytics.BigramWindow;

/** The node's window of transition counts as a {@link BigramWindow} with the top N, most frequent first. */
public final class TopBigrams extends ProcessWindowFunction<Map<String, Long>, BigramWindow, String, TimeWindow> {
    private static final String ARROW = "->";
    private final int topN;

    public TopBigrams(int topN) {
        this.topN = topN;
    }

    @Override
    public void process(String node, Context ctx, Iterable<Map<String, Long>> counts, Collector<BigramWindow> out) {
        for (Map<String, Long> c : counts) {
            out.collect(toWindow(node, ctx.window().getStart(), ctx.window().getEnd(), c, topN));
        }
    }

    static BigramWindow toWindow(String node, long start, long end, Map<String, Long> counts, int topN) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        List<BigramCount> top = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(topN)
                .map(e -> {
                    int arrow = e.getKey().indexOf(ARROW);
                    return new BigramCount(e.getKey().substring(0, arrow), e.getKey().substring(arrow + ARROW.length()),
                            e.getKey(), e.getValue(), total == 0 ? 0 : (double) e.getValue() / total);
                })
                .toList();
        return new BigramWindow(node, start, end, total, counts.size(), top);
    }

}
