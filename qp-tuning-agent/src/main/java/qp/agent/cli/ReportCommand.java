package qp.agent.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import qp.agent.calibration.CalibrationReport;
import qp.agent.calibration.ConfidenceCalibration;
import qp.agent.calibration.Reliability;
import qp.agent.config.AgentOptions;
import qp.agent.insight.AnomalyRow;
import qp.agent.insight.ExperimentRow;
import qp.agent.insight.ModelRow;
import qp.agent.insight.OptimizationReport;
import qp.agent.insight.OptimizationRow;
import qp.agent.insight.TimeRange;
import qp.agent.store.Database;
import qp.agent.store.SqliteExperimentStore;
import qp.agent.store.SqliteOutcomeStore;
import qp.protocol.json.QpJson;

@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = "An optimization report: changes applied, verified and rolled back with before/after figures; "
                + "the experiments running and those ended in the range, with effect, interval and verdict; anomalies; "
                + "model versions and scores; how well confidence predicted the experiments' verdicts (a reliability table per source and the Brier score). Text, or JSON with --json or an --out file ending in .json.")
final class ReportCommand implements Callable<Integer> {
    @ParentCommand
    QpCli cli;

    @Mixin
    StoreOption store;

    @Option(names = "--since", defaultValue = "24h", paramLabel = "TIME",
            description = "from this long ago or this instant. Default: ${DEFAULT-VALUE}")
    String since;

    @Option(names = "--node", paramLabel = "N", description = "only this node")
    String node;

    @Option(names = "--out", paramLabel = "FILE",
            description = "write the report to FILE (JSON when it ends in .json, else text) instead of stdout")
    Path outFile;

    @Option(names = "--json", description = "JSON instead of text")
    boolean json;

    @Option(names = "--calibration-min-outcomes", paramLabel = "N", description = "the agent's "
            + "--calibration-min-outcomes, if it was given one: decided outcomes a source needs before the confidence "
            + "gate calibrates it (default: the agent's default)")
    Integer calibrationMinOutcomes;

    @Override
    public Integer call() {
        long now = cli.clock.millis();
        TimeRange range = TimeRange.since(TimeArg.resolve(since, now), now, node);
        int minOutcomes = calibrationMinOutcomes == null ? AgentOptions.CALIBRATION_MIN_OUTCOMES.defaultValue()
                : calibrationMinOutcomes;
        if (minOutcomes < 1) {
            throw new CliException("--calibration-min-outcomes must be at least 1, got " + minOutcomes, QpCli.EXIT_USAGE);
        }
        Read read = store.read(cli.clock, db -> {
            try {
                return new Read(new OptimizationReport(db.connection()).query(range),
                        ExperimentRow.runningOrEndedIn(new SqliteExperimentStore(db), range),
                        new ConfidenceCalibration(new SqliteOutcomeStore(db), minOutcomes).report());
            } catch (SQLException e) {
                throw Database.explain(db.file(), e);
            }
        });
        boolean asJson = json || (outFile != null && outFile.getFileName().toString().endsWith(".json"));
        String text;
        if (asJson) {
            ObjectNode j = QpJson.mapper().valueToTree(read.report()); // its fields, and the experiments beside them
            j.set("experiments", QpJson.mapper().valueToTree(read.experiments()));
            j.set("calibration", QpJson.mapper().valueToTree(read.calibration()));
            text = JsonOut.of(j) + "\n";
        } else {
            StringWriter s = new StringWriter();
            print(new PrintWriter(s), read.report(), read.experiments(), read.calibration());
            text = s.toString();
        }
        if (outFile == null) {
            cli.out.print(text);
            cli.out.flush();
        } else {
            try {
                Path parent = outFile.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                Files.writeString(outFile, text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CliException("cannot write " + outFile + ": " + e.getMessage());
            }
            cli.err.println("qp report: written to " + outFile);
        }
        return QpCli.EXIT_OK;
    }

    /** What the report reads, in one opening of the store. */
    private record Read(OptimizationReport.Result report, List<ExperimentRow> experiments,
            CalibrationReport calibration) {
    }

    static void print(PrintWriter out, OptimizationReport.Result r, List<ExperimentRow> experiments,
            CalibrationReport calibration) {
        out.printf("QP optimization report, %s to %s%n", Format.time(r.fromMillis()), Format.time(r.toMillis() - 1));
        out.printf("%noptimizations by status%n");
        if (r.statusCounts().isEmpty()) {
            out.println("  none");
        }
        r.statusCounts().forEach((status, n) -> out.printf("  %-12s %6d%n", status, n));
        out.printf("%nchanges (applied, verified, rolled back)%n");
        if (r.changes().isEmpty()) {
            out.println("  none");
        }
        for (OptimizationRow c : r.changes()) {
            out.printf("  %s  %s | %s %s -> %s | %s | expected %.0f%% %s, before %s after %s, observed %s%n",
                    Format.time(c.updatedAtMillis()), c.nodeId(), c.parameter(),
                    Format.value(c.parameter(), c.currentValue()), Format.value(c.parameter(), c.proposedValue()),
                    c.status(), 100 * c.expectedImprovement(), c.targetMetric(), figure(c.beforeMetric()),
                    figure(c.afterMetric()), Format.signedPercent(c.observedChange()));
            if (c.reason() != null) {
                out.printf("    %s%n", c.reason());
            }
        }
        printExperiments(out, experiments);
        printCalibration(out, calibration);
        out.printf("%nanomalies by kind%n");
        if (r.anomalies().isEmpty()) {
            out.println("  none");
        }
        r.anomalies().forEach((kind, n) -> out.printf("  %-22s %6d%n", kind, n));
        for (AnomalyRow a : r.recentAnomalies()) {
            out.printf("  %s  %s %s %s %s: %s%n", Format.time(a.windowEndMillis()), a.nodeId(), a.type(), a.kind(),
                    a.severity(), a.detail() == null ? "" : a.detail());
        }
        out.printf("%nmodels%n");
        if (r.models().isEmpty()) {
            out.println("  none trained in this range");
        }
        for (ModelRow m : r.models()) {
            out.printf("  %s  %s (%s) %s, %d rows, R2 %s, MAE %s, %s%n", Format.time(m.trainedAtMillis()), m.version(),
                    m.algorithm() == null ? "-" : m.algorithm(), m.published() ? "published" : "rejected", m.rows(),
                    m.r2() == null ? "-" : String.format("%.3f", m.r2()), Format.micros(m.maeMicros()),
                    m.featureImportance().isEmpty() ? "no feature importance"
                            : "top features " + String.join(", ", m.featureImportance().keySet().stream().limit(3).toList()));
        }
        out.flush();
    }

    private static void printExperiments(PrintWriter out, List<ExperimentRow> experiments) {
        out.printf("%nexperiments (running, and ended in this range)%n");
        if (experiments.isEmpty()) {
            out.println("  none");
        }
        for (ExperimentRow e : experiments) {
            // when it ended, or when it started (was planned, for one the gateway has not confirmed yet)
            Long at = e.over() ? e.endedAtMillis() : e.startedAtMillis();
            out.printf("  %s  %s on %s | %s %s | %s | %s | %s %s, frames %s%s%n",
                    Format.time(at == null ? e.createdAtMillis() : at), e.id(), e.nodeId(), e.parameter(), e.change(),
                    ExperimentsCommand.arms(e), e.status(), e.targetMetric(), ExperimentsCommand.effect(e),
                    ExperimentsCommand.frames(e), e.verdict() == null ? "" : " | " + e.verdict());
            if (e.sentence() != null) {
                out.printf("    %s%n", e.sentence());
            }
        }
    }

    /** The reliability of confidence: over every decided outcome in the store, whatever the range and node. */
    static void printCalibration(PrintWriter out, CalibrationReport c) {
        out.printf("%nconfidence calibration (every decided outcome in the store, any time and node)%n");
        out.printf("  %s; left out: %d stopped, %d failed to start%n", c.leftOut(), c.stopped(), c.failedToStart());
        if (c.sources().isEmpty()) {
            out.printf("  no decided outcome yet: n too small for a reliability table; calibration is not active yet "
                    + "(it needs %d per source)%n", c.minOutcomes());
            return;
        }
        for (CalibrationReport.Source s : c.sources()) {
            printSource(out, s);
        }
        printSource(out, c.overall());
    }

    private static void printSource(PrintWriter out, CalibrationReport.Source s) {
        Reliability r = s.reliability();
        out.printf("  %s: %d outcomes, %d kept, Brier score %s over %d | %s%n", s.source(), s.outcomes(), s.kept(),
                r.brier() == null ? "-" : String.format("%.3f", r.brier()), r.count(), s.note());
        out.printf("    %-11s %5s %10s %7s %17s%n", "confidence", "n", "mean conf", "kept", "95% interval");
        for (Reliability.Band b : r.bands()) {
            if (b.count() == 0) {
                out.printf("    %-11s %5d %10s %7s %17s%n", b.band(), 0, "-", "-", "-");
            } else {
                out.printf("    %-11s %5d %10.2f %6.0f%% %7.0f%% - %3.0f%%%n", b.band(), b.count(), b.meanConfidence(),
                        100 * b.shareKept(), 100 * b.keptLow(), 100 * b.keptHigh());
            }
        }
    }

    private static String figure(Double v) {
        return v == null ? "-" : String.format("%.4g", v);
    }
}
