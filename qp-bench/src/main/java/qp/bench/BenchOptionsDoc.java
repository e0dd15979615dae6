package qp.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import qp.bench.load.LoadMain;
import qp.bench.scenario.ScenarioMain;
import qp.options.docs.PicocliOptionsTable;
import qp.options.docs.ReadmeSection;

/** {@code bin/qp docs}: the README's tables of the scenario's and the load generator's options. */
public final class BenchOptionsDoc {
    private BenchOptionsDoc() {
    }

    public static String withTables(String readme) {
        String r = ReadmeSection.replace(readme, "scenario-options", PicocliOptionsTable.markdown(new ScenarioMain()));
        return ReadmeSection.replace(r, "load-options", PicocliOptionsTable.markdown(new LoadMain()));
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2 || !args[0].equals("--write")) {
            System.err.println("usage: BenchOptionsDoc --write REPO_ROOT");
            System.exit(2);
        }
        Path readme = Path.of(args[1]).resolve("README.md");
        Files.writeString(readme, withTables(Files.readString(readme, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }
}
