package qp.job.bigrams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.junit.jupiter.api.Test;

class PairCountsTest {

    /** More types than the table starts with (8): it grows and keeps what it counted. */
    @Test
    void countsEveryPairOnceWithManyTypesAndStartsAfreshAfterEachEmit() {
        Random rnd = new Random(3);
        PairCounts counts = new PairCounts();
        List<TransitionCount> out = new ArrayList<>();
        Map<String, Integer> want = new TreeMap<>();
        Map<String, Long> wantLast = new TreeMap<>();
        String from = null;
        for (int i = 0; i < 2_000; i++) {
            String to = new String("T" + rnd.nextInt(i < 500 ? 5 : 20)); // a fresh instance, as read from a record
            if (from != null) {
                counts.add(counts.indexOf(from), counts.indexOf(to), i);
                want.merge(from + "->" + to, 1, Integer::sum);
                wantLast.put(from + "->" + to, (long) i);
            }
            from = to;
            if (i == 999 || i == 1_999) {
                counts.emit("n", new ListCollector<>(out));
                Map<String, Integer> got = new TreeMap<>();
                Map<String, Long> gotLast = new TreeMap<>();
                for (TransitionCount t : out) {
                    assertEquals(null, got.put(t.from() + "->" + t.to(), t.count()), "one record per pair: " + t);
                    gotLast.put(t.from() + "->" + t.to(), t.eventTimeMillis());
                }
                assertEquals(want, got);
                assertEquals(wantLast, gotLast);
                want.clear();
                wantLast.clear();
                out.clear();
            }
        }
        counts.emit("n", new ListCollector<>(out));
        assertEquals(List.of(), out, "nothing counted since the last emit");
    }
}
