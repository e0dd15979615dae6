package qp.bench.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import qp.bench.load.LoadMain;

/** The phases to play and how long each lasts, parsed from {@code normal=60s,compressible=75s,...}. */
public record ScenarioScript(List<Step> steps) {
    /**
     * The default script: five minutes. The compressible and bulky phases are long enough, on a loaded machine, for a
     * rule to propose a change twice (the second time confident enough for the agent) and for its experiment to end;
     * bulky comes before slow-upstream, whose many small routed replies make the rules propose a buffer_size
     * experiment that would keep the last gateway busy (one experiment per node).
     */
    public static final String DEFAULT = "normal=30s,compressible=210s,bulky=110s,surge=30s,slow-upstream=40s";

    public record Step(Phase phase, Duration duration) {
    }

    public ScenarioScript {
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("the scenario needs at least one phase");
        }
        steps = List.copyOf(steps);
    }

    public static ScenarioScript parse(String spec) {
        List<Step> steps = new ArrayList<>();
        LoadMain.DurationConverter durations = new LoadMain.DurationConverter();
        for (String part : spec.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("bad phase '" + part + "': expected phase=duration, e.g. surge=30s");
            }
            Duration d;
            try {
                d = durations.convert(kv[1]);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("bad duration in phase '" + part + "': use 500ms, 20s or 2m");
            }
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("phase '" + part + "' must last more than 0");
            }
            steps.add(new Step(Phase.of(kv[0].trim()), d));
        }
        return new ScenarioScript(steps);
    }

    public Duration total() {
        return steps.stream().map(Step::duration).reduce(Duration.ZERO, Duration::plus);
    }

    /** The same phases with their durations scaled so that they add up to {@code total}. */
    public ScenarioScript scaledTo(Duration total) {
        double f = (double) total.toMillis() / total().toMillis();
        return new ScenarioScript(steps.stream()
                .map(s -> new Step(s.phase(), Duration.ofMillis(Math.max(500, Math.round(s.duration().toMillis() * f)))))
                .toList());
    }
}
