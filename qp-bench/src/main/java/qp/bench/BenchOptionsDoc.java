package qp.bench;

import java.io.IOException;
import qp.bench.limit.LimitBenchMain;
import qp.bench.load.LoadMain;
import qp.bench.scenario.ScenarioMain;
import qp.options.docs.PicocliOptionsTable;
import qp.options.docs.ReadmeSection;

/** {@code bin/qp docs}: the README's tables of the scenario's, the load generator's and the limit benchmark's options. */
public final class BenchOptionsDoc {
    private BenchOptionsDoc() {
    }

    public static String withTables(String readme) {
        String r = ReadmeSection.replace(readme, "scenario-options", PicocliOptionsTable.markdown(new ScenarioMain()));
        r = ReadmeSection.replace(r, "load-options", PicocliOptionsTable.markdown(new LoadMain()));
        return ReadmeSection.replace(r, "limit-bench-options", PicocliOptionsTable.markdown(new LimitBenchMain()));
    }

    public static void main(String[] args) throws IOException {
        ReadmeSection.writeReadme("BenchOptionsDoc", args, BenchOptionsDoc::withTables);
    }
}
