package qp.agent.cli;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.function.Function;
import picocli.CommandLine.Option;
import qp.agent.store.Database;

/** {@code --db FILE}: the agent's store, opened read-side (a missing file is an error, never created). */
public final class StoreOption {
    @Option(names = "--db", defaultValue = "${env:QP_STATE_DIR:-.qp}/agent.db", paramLabel = "FILE",
            description = "the agent's SQLite store. Default: ${DEFAULT-VALUE}")
    Path db;

    public Database open(Clock clock) {
        return Database.openExisting(db, clock);
    }

    /** A read of the store. */
    public interface Query<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Opens the store, hands it to {@code read} (store classes, which explain their own failures) and closes it. */
    public <T> T read(Clock clock, Function<Database, T> read) {
        try (Database database = open(clock)) {
            return read.apply(database);
        }
    }

    /** Opens the store, runs {@code query} on it and closes it; an SQL failure becomes the store's one-line error. */
    public <T> T query(Clock clock, Query<T> query) {
        try (Database database = open(clock)) {
            return query.run(database.connection());
        } catch (SQLException e) {
            throw Database.explain(db, e);
        }
    }
}
