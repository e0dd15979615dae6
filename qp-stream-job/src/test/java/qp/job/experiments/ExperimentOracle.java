package qp.job.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import qp.protocol.analytics.ExperimentStats;
import qp.protocol.events.FrameEvent;

/**
 * What the experiment statistics of a list of frames must be, computed here from the frames with the contract's
 * rules written out again (bands by their byte bounds, refusals by outcome, sessions by id or connection), not with
 * the job's classes.
 */
public final class ExperimentOracle {
    /** One node, experiment and window: sums per cell, every latency per stratum, unit ids per arm and bucket. */
    public record Window(Map<String, List<Long>> cells, Map<String, List<Long>> latencies,
            Map<String, Set<String>> units) {
    }

    private ExperimentOracle() {
    }

    /** Keyed node|experiment|windowStart; frames without an experiment, or without arm or bucket, count nowhere. */
    public static Map<String, Window> windows(List<FrameEvent> frames, long windowMillis) {
        Map<String, Window> out = new HashMap<>();
        for (FrameEvent f : frames) {
            if (f.experimentId() == null || f.arm() == null || f.bucket() == null) {
                continue;
            }
            long start = f.eventTimeMillis() - Math.floorMod(f.eventTimeMillis(), windowMillis);
            Window w = out.computeIfAbsent(f.nodeId() + "|" + f.experimentId() + "|" + start,
                    k -> new Window(new HashMap<>(), new HashMap<>(), new HashMap<>()));
            String band = f.rawBytes() < 1024 ? "small" : f.rawBytes() < 16 * 1024 ? "medium" : "large";
            String cell = f.arm() + "|" + f.bucket() + "|" + f.type() + "|" + f.direction() + "|" + band;
            boolean latency = f.latencyMicros() > 0;
            long[] add = {1, f.wireBytes(), f.rawBytes(), f.outcome().equals("ok") ? 0 : 1,
                    f.outcome().equals("OVERLOADED") ? 1 : 0, latency ? 1 : 0, f.latencyMicros()};
            List<Long> sums = w.cells.computeIfAbsent(cell, k -> new ArrayList<>(List.of(0L, 0L, 0L, 0L, 0L, 0L, 0L)));
            for (int i = 0; i < add.length; i++) {
                sums.set(i, sums.get(i) + add[i]);
            }
            if (latency) {
                w.latencies.computeIfAbsent(f.arm() + "|" + f.type() + "|" + f.direction() + "|" + band,
                        k -> new ArrayList<>()).add(f.latencyMicros());
            }
            String unit = f.sessionId() != null ? "session " + f.sessionId() : "connection " + f.connectionId();
            w.units.computeIfAbsent(f.arm() + "|" + f.bucket(), k -> new HashSet<>()).add(unit);
        }
        return out;
    }

    /** Every record matches its window exactly (percentiles within DDSketch's 1%), and every window has one record. */
    public static void assertMatches(Collection<ExperimentStats> got, Map<String, Window> expected, long windowMillis) {
        Map<String, ExperimentStats> byKey = new HashMap<>();
        for (ExperimentStats s : got) {
            assertThat(byKey.put(s.nodeId() + "|" + s.experimentId() + "|" + s.windowStartMillis(), s))
                    .as("one record per node, experiment and window").isNull();
            assertThat(s.windowLengthMillis()).isEqualTo(windowMillis);
        }
        assertThat(byKey.keySet()).as("node|experiment|window").isEqualTo(expected.keySet());
        expected.forEach((key, w) -> {
            ExperimentStats s = byKey.get(key);
            Map<String, List<Long>> cells = new HashMap<>();
            for (ExperimentStats.Cell c : s.cells()) {
                assertThat(cells.put(c.arm() + "|" + c.bucket() + "|" + c.type() + "|" + c.direction() + "|" + c.band(),
                        List.of(c.frames(), c.wireBytes(), c.rawBytes(), c.errors(), c.refusals(), c.latencyFrames(),
                                c.latencySumMicros()))).as(key + " one row per cell").isNull();
            }
            assertSame(key + " cells [frames, wire, raw, errors, refusals, latency frames, latency sum]", cells,
                    w.cells);
            Map<String, Long> units = new HashMap<>();
            s.units().forEach(u -> units.put(u.arm() + "|" + u.bucket(), u.sessions()));
            Map<String, Long> expectedUnits = new HashMap<>();
            w.units.forEach((k, ids) -> expectedUnits.put(k, (long) ids.size()));
            assertSame(key + " distinct sessions per arm|bucket", units, expectedUnits);
            Map<String, ExperimentStats.Latency> latency = new HashMap<>();
            s.latency().forEach(l -> latency.put(l.arm() + "|" + l.type() + "|" + l.direction() + "|" + l.band(), l));
            assertThat(latency.keySet()).as(key + " latency strata").isEqualTo(w.latencies.keySet());
            w.latencies.forEach((stratum, values) -> {
                ExperimentStats.Latency l = latency.get(stratum);
                List<Long> sorted = values.stream().sorted().toList();
                assertThat(l.samples()).as(key + " " + stratum + " samples").isEqualTo(sorted.size());
                assertQuantile(l.p50Micros(), sorted, 0.50, key + " " + stratum + " p50");
                assertQuantile(l.p95Micros(), sorted, 0.95, key + " " + stratum + " p95");
                assertQuantile(l.p99Micros(), sorted, 0.99, key + " " + stratum + " p99");
            });
        });
    }

    /** Lists only the entries that differ, so that a failure reads as what is wrong. */
    static <V> void assertSame(String what, Map<String, V> got, Map<String, V> expected) {
        Set<String> keys = new java.util.TreeSet<>(got.keySet());
        keys.addAll(expected.keySet());
        List<String> wrong = keys.stream().filter(k -> !java.util.Objects.equals(got.get(k), expected.get(k)))
                .map(k -> k + ": got " + got.get(k) + ", expected " + expected.get(k)).toList();
        assertThat(wrong).as(what + ": " + wrong.size() + " of " + keys.size() + " differ").isEmpty();
    }

    /** Within 1% of the exact value at rank q·(n−1) (between the values either side when it falls between two). */
    static void assertQuantile(double got, List<Long> sorted, double q, String what) {
        double rank = q * (sorted.size() - 1);
        long low = sorted.get((int) Math.floor(rank));
        long high = sorted.get((int) Math.ceil(rank));
        assertThat(got).as(what + " of " + sorted.size() + " values, exact " + low + ".." + high)
                .isBetween(low * 0.99, high * 1.01);
    }
}
