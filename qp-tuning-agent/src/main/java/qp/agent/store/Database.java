package qp.agent.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The agent's SQLite store: opens (or creates) the file in WAL mode, applies the migrations it lacks in order, each in
 * its own transaction and recorded in {@code schema_version}. Every failure is a {@link StoreException} with one line
 * that names the file: a corrupt file, a locked one, one written by a newer QP.
 */
public final class Database implements AutoCloseable {
    /** How long a statement waits for another writer (the agent, the CLI, the dashboard) before "locked". */
    public static final int BUSY_TIMEOUT_MS = 5_000;

    private final Path file;
    private final Connection connection;

    private Database(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /** Opens the store for reading and writing, creating it and applying migrations as needed. */
    public static Database open(Path file, Clock clock) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (java.io.IOException e) {
            throw new StoreException(file + ": cannot create its folder (" + e.getMessage() + ")", e);
        }
        Connection c = null;
        try {
            c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MS);
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA synchronous = NORMAL"); // WAL + NORMAL: durable across a process crash
                s.execute("PRAGMA foreign_keys = ON");
            }
            Database db = new Database(file, c);
            db.migrate(clock);
            return db;
        } catch (SQLException e) {
            closeQuietly(c);
            throw explain(file, e);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /** Opens an existing store without migrating it (the CLI's read-only commands): a missing file is an error. */
    public static Database openExisting(Path file, Clock clock) {
        if (!Files.isRegularFile(file)) {
            throw new StoreException(file + ": no QP store here; start the agent (bin/qp agent) or pass --db FILE");
        }
        return open(file, clock);
    }

    public Connection connection() {
        return connection;
    }

    public Path file() {
        return file;
    }

    /** The highest migration applied. */
    public int schemaVersion() {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        } catch (SQLException e) {
            throw explain(file, e);
        }
    }

    private void migrate(Clock clock) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                    + "applied_at_ms INTEGER NOT NULL)");
        }
        int current = schemaVersion();
        if (current > Migrations.latestVersion()) {
            throw new StoreException(file + ": written by a newer QP (schema version " + current + ", this agent knows "
                    + Migrations.latestVersion() + "); upgrade the agent or pass another --db");
        }
        if (current == Migrations.latestVersion()) {
            return;
        }
        // a migration may rebuild a table that others reference (SQLite's documented way to change a constraint):
        // foreign keys are off meanwhile and checked once at the end
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA foreign_keys = OFF");
        }
        for (int v = current + 1; v <= Migrations.latestVersion(); v++) {
            boolean auto = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement s = connection.createStatement()) {
                for (String sql : Migrations.statements(v)) {
                    s.execute(sql);
                }
                try (PreparedStatement p = connection.prepareStatement(
                        "INSERT INTO schema_version (version, name, applied_at_ms) VALUES (?, ?, ?)")) {
                    p.setInt(1, v);
                    p.setString(2, Migrations.name(v));
                    p.setLong(3, clock.millis());
                    p.executeUpdate();
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(auto);
            }
        }
        try (Statement s = connection.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA foreign_key_check")) {
                if (rs.next()) {
                    throw new StoreException(file + ": after migrating, table " + rs.getString(1) + " row "
                            + rs.getLong(2) + " references a missing row of " + rs.getString(3));
                }
            }
            s.execute("PRAGMA foreign_keys = ON");
        }
    }

    /** One line for a user: which file, what is wrong, what to do. */
    public static StoreException explain(Path file, SQLException e) {
        if (e instanceof SQLiteException se) {
            SQLiteErrorCode code = se.getResultCode();
            if (code == SQLiteErrorCode.SQLITE_NOTADB || code == SQLiteErrorCode.SQLITE_CORRUPT) {
                return new StoreException(file + ": not a readable QP store (" + code.message
                        + "); move it aside and start again, or pass another --db", e);
            }
            if (code == SQLiteErrorCode.SQLITE_BUSY || code == SQLiteErrorCode.SQLITE_LOCKED) {
                return new StoreException(file + ": locked by another process for more than " + BUSY_TIMEOUT_MS
                        + " ms; stop the process that holds it (an open sqlite3 shell, another agent) and try again", e);
            }
            if (code == SQLiteErrorCode.SQLITE_CANTOPEN || code == SQLiteErrorCode.SQLITE_READONLY
                    || code == SQLiteErrorCode.SQLITE_PERM) {
                return new StoreException(file + ": cannot be opened for writing (" + code.message
                        + "); check the path and its permissions", e);
            }
        }
        return new StoreException(file + ": " + e.getMessage(), e);
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already failing; the first error is the one to report
            }
        }
    }

    @Override
    public void close() {
        closeQuietly(connection);
    }
}
