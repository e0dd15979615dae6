package qp.agent.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Map;

/** Runs the CLI in this JVM as bin/qp would, capturing stdout, stderr and the exit code. */
record Cli(int code, String out, String err) {

    static Cli run(Clock clock, Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = QpCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true), clock, env::get);
        return new Cli(code, out.toString(), err.toString());
    }

    static Cli run(Clock clock, String... args) {
        return run(clock, Map.of(), args);
    }

    /** The error output is one line, names no Java exception and shows no stack trace. */
    boolean oneCleanErrorLine() {
        String e = err.strip();
        return !e.isEmpty() && e.lines().count() == 1 && !e.contains("Exception") && !e.contains("\tat ");
    }
}
