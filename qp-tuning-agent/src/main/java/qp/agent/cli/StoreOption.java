package qp.agent.cli;

import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Option;
import qp.agent.store.Database;

/** {@code --db FILE}: the agent's store, opened read-side (a missing file is an error, never created). */
public final class StoreOption {
    @Option(names = "--db", defaultValue = ".qp/agent.db", paramLabel = "FILE",
            description = "the agent's SQLite store. Default: ${DEFAULT-VALUE}")
    Path db;

    public Database open(Clock clock) {
        return Database.openExisting(db, clock);
    }
}
