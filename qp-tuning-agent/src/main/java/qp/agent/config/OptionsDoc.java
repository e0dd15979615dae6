package qp.agent.config;

import java.io.IOException;
import qp.options.docs.OptionsPage;

/**
 * The agent's options page, {@code docs/agent-options.md}, and its table in the README, from {@link AgentOptions}.
 * {@code OptionsDocTest} fails when either differs from the declarations; regenerate both with {@code bin/qp docs}.
 */
public final class OptionsDoc {
    public static final OptionsPage PAGE = new OptionsPage("agent-options", "qp-tuning-agent options",
            "qp.agent.config.AgentOptions",
            "Every option is a command-line option of `bin/qp agent` (`--cooldown 5min`) and, except `--config`, a key of\n"
                    + "the config file (`\"cooldown\": \"5min\"`); the command line wins over the file, the file over the default.\n"
                    + "Durations read like `500ms`, `10s`, `5min`, `1h` (a unit is required).\n", AgentOptions.ALL);

    private OptionsDoc() {
    }

    /** No argument: print the page. {@code --write ROOT}: regenerate ROOT/docs/agent-options.md and README.md's table. */
    public static void main(String[] args) throws IOException {
        PAGE.main(args);
    }
}
