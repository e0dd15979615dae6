package qp.job.experiments;

import com.datadoghq.sketch.ddsketch.DDSketch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import qp.protocol.analytics.ExperimentStats;
import qp.protocol.analytics.SketchCodec;
import qp.protocol.events.Direction;
import qp.protocol.experiments.PayloadBand;

/**
 * What a window keeps of one node's frames under one experiment: sums per cell (arm, bucket, type, direction, payload
 * band), a latency DDSketch per arm and stratum, and the distinct sessions per arm and bucket. Its size grows with the
 * cells and sessions seen, not with the frames. Stored in Flink state by {@link ExperimentAccumulatorSerializer}.
 */
@TypeInfo(ExperimentAccumulatorTypeInfoFactory.class)
public final class ExperimentAccumulator {
    static final int FRAMES = 0;
    static final int WIRE_BYTES = 1;
    static final int RAW_BYTES = 2;
    static final int ERRORS = 3;
    static final int REFUSALS = 4;
    static final int LATENCY_FRAMES = 5;
    static final int LATENCY_SUM_MICROS = 6;
    static final int SUMS = 7;
    private static final Direction[] DIRECTIONS = Direction.values();
    private static final PayloadBand[] BANDS = PayloadBand.values();

    final double relativeAccuracy;
    /** Arm and type names; packed keys hold their index. */
    final List<String> names = new ArrayList<>();
    private final Map<String, Integer> nameIndex = new HashMap<>();
    final Map<Long, long[]> cells = new HashMap<>();
    final Map<Long, DDSketch> latency = new HashMap<>();
    final Map<Long, UnitSet> units = new HashMap<>();

    ExperimentAccumulator(double relativeAccuracy) {
        this.relativeAccuracy = relativeAccuracy;
    }

    /** A frame of the experiment ({@link ExperimentFrames} kept it: its arm and bucket are set). */
    void add(ExperimentFrame f) {
        int arm = nameIndex(f.arm());
        int bucket = f.bucket();
        long cell = CellKeys.cell(arm, bucket, nameIndex(f.type()), f.direction().ordinal(),
                PayloadBand.of(f.rawBytes()).ordinal());
        long[] sums = cells.computeIfAbsent(cell, k -> new long[SUMS]);
        sums[FRAMES]++;
        sums[WIRE_BYTES] += f.wireBytes();
        sums[RAW_BYTES] += f.rawBytes();
        if (f.error()) {
            sums[ERRORS]++;
        }
        if (f.refused()) {
            sums[REFUSALS]++;
        }
        if (f.latencyMicros() > 0) { // 0 means the frame had no reply: not a latency sample
            sums[LATENCY_FRAMES]++;
            sums[LATENCY_SUM_MICROS] += f.latencyMicros();
            sketch(CellKeys.stratum(cell)).accept(f.latencyMicros());
        }
        unitsOf(CellKeys.unit(arm, bucket)).add(f.unit());
    }

    /** Adds another window's contents; its name indexes are translated into this one's. */
    ExperimentAccumulator merge(ExperimentAccumulator o) {
        for (Map.Entry<Long, long[]> e : o.cells.entrySet()) {
            long[] sums = cells.computeIfAbsent(translate(e.getKey(), o), k -> new long[SUMS]);
            for (int i = 0; i < SUMS; i++) {
                sums[i] += e.getValue()[i];
            }
        }
        o.latency.forEach((k, s) -> sketch(translate(k, o)).mergeWith(s));
        o.units.forEach((k, u) -> unitsOf(CellKeys.unit(nameIndex(o.names.get(CellKeys.arm(k))), CellKeys.bucket(k)))
                .addAll(u)); // a unit key has no type: translating one would make index 0 a type
        return this;
    }

    ExperimentAccumulator copy() {
        ExperimentAccumulator c = new ExperimentAccumulator(relativeAccuracy);
        names.forEach(c::nameIndex);
        cells.forEach((k, v) -> c.cells.put(k, v.clone()));
        latency.forEach((k, v) -> c.latency.put(k, v.copy()));
        units.forEach((k, v) -> c.units.put(k, v.copy()));
        return c;
    }

    int nameIndex(String name) {
        Integer i = nameIndex.get(name);
        if (i != null) {
            return i;
        }
        if (names.size() == CellKeys.MAX_NAMES) {
            throw new IllegalStateException("experiment stats: more than " + CellKeys.MAX_NAMES + " distinct arm and "
                    + "type names in one window; cannot add \"" + name + "\". Are gateways writing free-form types?");
        }
        names.add(name);
        nameIndex.put(name, names.size() - 1);
        return names.size() - 1;
    }

    DDSketch sketch(long stratum) {
        return latency.computeIfAbsent(stratum, k -> SketchCodec.create(relativeAccuracy));
    }

    UnitSet unitsOf(long unitKey) {
        return units.computeIfAbsent(unitKey, k -> new UnitSet());
    }

    private long translate(long key, ExperimentAccumulator from) {
        return CellKeys.cell(nameIndex(from.names.get(CellKeys.arm(key))), CellKeys.bucket(key),
                nameIndex(from.names.get(CellKeys.type(key))), CellKeys.direction(key), CellKeys.band(key));
    }

    /** The sums of every cell that saw frames, ordered by arm, bucket, type, direction and band. */
    List<ExperimentStats.Cell> cells() {
        return sorted(cells.keySet()).stream().map(k -> {
            long[] s = cells.get(k);
            return new ExperimentStats.Cell(arm(k), CellKeys.bucket(k), type(k), direction(k), band(k), s[FRAMES],
                    s[WIRE_BYTES], s[RAW_BYTES], s[ERRORS], s[REFUSALS], s[LATENCY_FRAMES], s[LATENCY_SUM_MICROS]);
        }).toList();
    }

    /** Percentiles of every arm and stratum that had latency samples, over all its buckets. */
    List<ExperimentStats.Latency> latency() {
        return sorted(latency.keySet()).stream().map(k -> {
            DDSketch s = latency.get(k);
            return new ExperimentStats.Latency(arm(k), type(k), direction(k), band(k), Math.round(s.getCount()),
                    SketchCodec.quantile(s, 0.50), SketchCodec.quantile(s, 0.95), SketchCodec.quantile(s, 0.99));
        }).toList();
    }

    /** Distinct sessions of every arm and bucket. */
    List<ExperimentStats.Units> units() {
        return sorted(units.keySet()).stream()
                .map(k -> new ExperimentStats.Units(arm(k), CellKeys.bucket(k), units.get(k).size())).toList();
    }

    /** By arm name, bucket, type name, direction and band, so that a window's lists read the same every time. */
    private List<Long> sorted(java.util.Set<Long> keys) {
        return keys.stream().sorted(Comparator.comparing((Long k) -> arm(k)).thenComparingInt(CellKeys::bucket)
                .thenComparing(k -> type(k)).thenComparingInt(CellKeys::direction).thenComparingInt(CellKeys::band))
                .toList();
    }

    private String arm(long key) {
        return names.get(CellKeys.arm(key));
    }

    private String type(long key) {
        return names.get(CellKeys.type(key));
    }

    private static String direction(long key) {
        return DIRECTIONS[CellKeys.direction(key)].name();
    }

    private static String band(long key) {
        return BANDS[CellKeys.band(key)].wire();
    }
}
