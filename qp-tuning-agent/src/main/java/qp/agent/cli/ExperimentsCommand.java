package qp.agent.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import qp.agent.insight.ExperimentRow;
import qp.agent.store.SqliteExperimentStore;

@Command(name = "experiments", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The experiments that prove each change, newest first: the two values, how the arms are "
                + "assigned, the status, the target metric, the effect with its interval, the frames per arm, the "
                + "verdict and its sentence.",
                "The effect is treatment / control - 1 on the target metric: negative is lower, which is better for "
                + "every metric."})
final class ExperimentsCommand implements Callable<Integer> {
    @ParentCommand
    QpCli cli;

    @Mixin
    StoreOption store;

    @Option(names = "--node", paramLabel = "N", description = "only this node")
    String node;

    @Option(names = "--limit", defaultValue = "20", paramLabel = "K",
            description = "at most this many, the newest. Default: ${DEFAULT-VALUE}")
    int limit;

    @Option(names = "--json", description = "print a JSON array, one object per experiment; effect and interval as "
            + "ratios (-0.62 is 62%% lower), null until there is an interval")
    boolean json;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new CliException("--limit: " + limit + " is not a count of experiments; give 1 or more",
                    QpCli.EXIT_USAGE);
        }
        List<ExperimentRow> rows = store.read(cli.clock,
                db -> ExperimentRow.list(new SqliteExperimentStore(db), node, limit));
        if (node != null && rows.isEmpty()) {
            throw new CliException("no experiment on node '" + node + "'; leave out --node to see every node");
        }
        if (json) {
            cli.out.println(JsonOut.of(rows));
        } else {
            print(cli.out, rows);
        }
        return QpCli.EXIT_OK;
    }

    static void print(PrintWriter out, List<ExperimentRow> rows) {
        if (rows.isEmpty()) {
            out.println("no experiments yet: the agent starts one for each change that passes its gates");
            return;
        }
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"id", "node", "change", "arms", "status", "metric", "effect [interval]",
            "frames c/t", "verdict"});
        for (ExperimentRow r : rows) {
            table.add(new String[] {r.id(), r.nodeId(), r.parameter() + " " + r.change(), arms(r), r.status(),
                r.targetMetric(), effect(r), frames(r), r.verdict() == null ? "-" : r.verdict()});
        }
        int[] widths = new int[table.get(0).length];
        for (String[] cells : table) {
            for (int i = 0; i < cells.length; i++) {
                widths[i] = Math.max(widths[i], cells[i].length());
            }
        }
        for (int k = 0; k < table.size(); k++) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                line.append(i == 0 ? "" : "  ").append(String.format("%-" + widths[i] + "s", table.get(k)[i]));
            }
            out.println(line.toString().stripTrailing());
            String sentence = k == 0 ? null : rows.get(k - 1).sentence();
            if (sentence != null) {
                out.println("    " + sentence);
            }
        }
        out.flush();
    }

    /** How the arms are assigned: {@code session 10%} of sessions in treatment, or {@code switchback 60 s} blocks. */
    static String arms(ExperimentRow r) {
        return "switchback".equals(r.assignment()) ? "switchback " + r.blockMillis() / 1000 + " s"
                : r.assignment() + " " + String.format("%.0f%%", 100 * r.share());
    }

    static String effect(ExperimentRow r) {
        return Format.effect(r.effect(), r.intervalLow(), r.intervalHigh(), r.intervalLevel());
    }

    static String frames(ExperimentRow r) {
        return r.framesControl() == null ? "-"
                : Format.count(r.framesControl()) + "/" + Format.count(r.framesTreatment());
    }
}
