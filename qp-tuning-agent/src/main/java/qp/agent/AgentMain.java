package qp.agent;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;
import qp.agent.config.AgentConfig;
import qp.options.TypedOption;
import qp.agent.config.AgentOptions;
import qp.agent.dashboard.DashboardOptions;
import qp.agent.dashboard.DashboardServer;
import qp.agent.store.StoreException;

/**
 * {@code bin/qp agent}: runs the tuning agent until SIGTERM / Ctrl-C. Its options come from {@link AgentOptions}
 * (so {@code --help} and the README table are the same list). Bad options, a bad config file or an unusable store
 * end with one line on stderr and exit code 2.
 */
public final class AgentMain {
    static final int EXIT_CONFIG = 2;

    private AgentMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int code = run(args, System::getenv, new PrintWriter(System.out, true), new PrintWriter(System.err, true), true);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** The command line as a picocli spec built from the declarations. */
    static CommandSpec spec() {
        CommandSpec spec = CommandSpec.create().name("qp agent").mixinStandardHelpOptions(true);
        spec.usageMessage().description("QP tuning agent: applies recommendations that pass its gates to the gateways "
                + "of its config, verifies them and rolls back those that did not help; keeps every decision in SQLite.")
                .footer("", "Every option except --config may also be a key of the config file; the command line wins.",
                        "Admin tokens come from files or environment variables named in the config, never the command line.");
        for (TypedOption<?> o : AgentOptions.ALL) {
            OptionSpec.Builder b = OptionSpec.builder("--" + o.name()).description(o.description()
                    + (o.isFlag() || o.defaultValue() == null ? "" : " (default " + o.format(o.defaultValue()) + ")"));
            if (o.isFlag()) {
                b.arity("0..1").type(String.class).fallbackValue("true");
            } else {
                b.arity("1").type(String.class).paramLabel(o.typeName().toUpperCase());
            }
            spec.addOption(b.build());
        }
        return spec;
    }

    /** The operator dashboard (issue 10) on --dashboard-port, or null when it is off or has no token. */
    static DashboardServer startDashboard(AgentConfig config, TuningAgent agent, Function<String, String> env,
            PrintWriter err) {
        int port = config.get(AgentOptions.DASHBOARD_PORT);
        if (port < 0) {
            return null;
        }
        String tokenFile = config.get(AgentOptions.DASHBOARD_TOKEN_FILE);
        String token;
        try {
            token = tokenFile != null ? Files.readString(Path.of(tokenFile), StandardCharsets.UTF_8).strip()
                    : env.apply("QP_ADMIN_TOKEN");
        } catch (IOException e) {
            throw new IllegalArgumentException("--dashboard-token-file: cannot read " + tokenFile + " (" + e.getMessage()
                    + ")");
        }
        if (token == null || token.isBlank()) {
            err.println("qp agent: no dashboard: it needs a token (--dashboard-token-file FILE or env QP_ADMIN_TOKEN)");
            return null;
        }
        DashboardServer d = DashboardServer.start(Path.of(config.get(AgentOptions.DB)), agent.operatorActions(),
                new DashboardOptions(config.get(AgentOptions.DASHBOARD_HOST), port, token,
                        config.get(AgentOptions.DASHBOARD_PUBLIC_READ), Duration.ofSeconds(1), Duration.ofMinutes(15),
                        config.get(AgentOptions.CALIBRATION_MIN_OUTCOMES)),
                Clock.systemUTC());
        err.println("qp agent: dashboard on " + d.uri());
        return d;
    }

    static int run(String[] args, Function<String, String> env, PrintWriter out, PrintWriter err, boolean block)
            throws InterruptedException {
        CommandLine cl = new CommandLine(spec());
        ParseResult parsed;
        try {
            parsed = cl.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            err.println("qp agent: " + e.getMessage() + " (see bin/qp agent --help)");
            return EXIT_CONFIG;
        }
        if (parsed.isUsageHelpRequested()) {
            cl.usage(out);
            return 0;
        }
        if (parsed.isVersionHelpRequested()) {
            out.println("qp agent 0.1.0");
            return 0;
        }
        Map<String, String> given = new LinkedHashMap<>();
        for (OptionSpec o : parsed.matchedOptions()) {
            given.put(o.longestName().substring(2), String.valueOf((Object) o.getValue()));
        }
        AgentConfig config;
        try {
            config = AgentConfig.load(given, env);
        } catch (IllegalArgumentException e) {
            err.println("qp agent: " + e.getMessage());
            return EXIT_CONFIG;
        }
        if (config.gateways().isEmpty()) {
            err.println("qp agent: no gateways: the config (--config FILE) must list the gateways the agent may touch, "
                    + "e.g. {\"gateways\":[{\"nodeId\":\"edge-1\",\"adminUrl\":\"http://127.0.0.1:9998\","
                    + "\"adminTokenFile\":\".qp/admin-token\"}]}");
            return EXIT_CONFIG;
        }
        TuningAgent agent;
        try {
            agent = TuningAgent.start(config, Clock.systemUTC());
        } catch (StoreException e) {
            err.println("qp agent: " + e.getMessage());
            return EXIT_CONFIG;
        }
        DashboardServer dashboard;
        try {
            dashboard = startDashboard(config, agent, env, err);
        } catch (RuntimeException e) {
            agent.close();
            err.println("qp agent: " + e.getMessage());
            return EXIT_CONFIG;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (dashboard != null) {
                dashboard.close(); // before the agent: no press reaches a closing agent
            }
            agent.close();
        }, "qp-agent-shutdown"));
        if (block) {
            // until the shutdown hook runs, or the agent can no longer work: then it says why and exits 1, so that a
            // supervisor (bin/qp up, systemd, a container runtime) sees it die instead of a process that does nothing
            Throwable cause = agent.failure().join();
            err.println("qp agent: stopped: " + cause + " (the log has the stack trace)");
            return 1; // main exits 1; the shutdown hook closes the dashboard and the agent
        }
        return 0;
    }
}
