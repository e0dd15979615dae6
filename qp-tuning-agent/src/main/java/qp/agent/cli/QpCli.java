package qp.agent.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import qp.agent.replay.ReplayException;
import qp.agent.store.StoreException;
import qp.protocol.export.ExportFormatException;

/**
 * The operator's commands of {@code bin/qp}: stats, analyze, export, replay, optimize, report, experiments, tail. Every
 * failure a user can cause (bad arguments, a missing or locked store, a broker or gateway out of reach) is one line on
 * stderr and a non-zero exit code, never a stack trace.
 */
@Command(name = "qp", mixinStandardHelpOptions = true, sortOptions = false,
        description = "QP operator commands: read the agent's store and Kafka, export and replay traffic.",
        subcommands = {StatsCommand.class, AnalyzeCommand.class, ExportCommand.class, ReplayCommand.class,
                OptimizeCommand.class, ReportCommand.class, ExperimentsCommand.class, TailCommand.class})
public final class QpCli implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    final PrintWriter out;
    final PrintWriter err;
    final Clock clock;
    final Function<String, String> env;

    QpCli(PrintWriter out, PrintWriter err, Clock clock, Function<String, String> env) {
        this.out = out;
        this.err = err;
        this.clock = clock;
        this.env = env;
    }

    public static void main(String[] args) {
        if (System.getenv("QP_DEBUG") == null && System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "qp-cli-log4j2.xml"); // before any logger exists
        }
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = run(args, out, err, Clock.systemUTC(), System::getenv);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command line; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Clock clock, Function<String, String> env) {
        QpCli root = new QpCli(out, err, clock, env);
        CommandLine cl = new CommandLine(root);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            String name = ex.getCommandLine().getCommandName();
            err.println("qp " + (name.equals("qp") ? "" : name + ": ") + ex.getMessage() + " (see bin/qp "
                    + (name.equals("qp") ? "help" : name + " --help") + ")");
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            String name = c.getCommandName();
            int code = EXIT_FAILURE;
            String message;
            if (ex instanceof CliException ce) {
                message = ce.getMessage();
                code = ce.exitCode();
            } else if (ex instanceof StoreException || ex instanceof ReplayException
                    || ex instanceof ExportFormatException) {
                message = ex.getMessage();
            } else if (ex instanceof java.io.IOException) {
                message = "I/O error: " + ex.getMessage();
            } else {
                message = "unexpected error: " + ex; // a bug: still one line
            }
            if (env.apply("QP_DEBUG") != null) {
                ex.printStackTrace(err); // QP_DEBUG=1: the trace of every failure, the expected ones too
            }
            err.println("qp " + name + ": " + message.replace('\n', ' '));
            return code;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "a command is needed");
    }
}
