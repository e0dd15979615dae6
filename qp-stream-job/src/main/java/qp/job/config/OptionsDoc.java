package qp.job.config;

import java.io.IOException;
import qp.options.docs.OptionsPage;

/**
 * The job's options page, {@code docs/job-options.md}, and its table in the README, from {@link JobOptions}.
 * {@code OptionsDocTest} fails when either differs from the declarations; regenerate both with {@code bin/qp docs}.
 */
public final class OptionsDoc {
    public static final OptionsPage PAGE = new OptionsPage("job-options", "qp-stream-job options",
            "qp.job.config.JobOptions",
            "Every option is a job argument: `--window-size 10s` or `--window-size=10s`; flags stand alone (`--local`).\n"
                    + "Durations read like `500ms`, `10s`, `5min`, `1h` (a unit is required).\n", JobOptions.ALL);

    private OptionsDoc() {
    }

    /** No argument: print the page. {@code --write ROOT}: regenerate ROOT/docs/job-options.md and README.md's table. */
    public static void main(String[] args) throws IOException {
        PAGE.main(args);
    }
}
