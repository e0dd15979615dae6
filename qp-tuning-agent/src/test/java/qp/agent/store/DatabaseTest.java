package qp.agent.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_796_000_000_000L), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void everyMigrationFileInSqlIsListedInOrder() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("..", "sql", "sqlite"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql"))
                    .sorted().toList();
            assertThat(Migrations.FILES).isEqualTo(names);
        }
    }

    @Test
    void anEmptyFileIsMigratedToTheLatestVersionInWalModeAndOpeningAgainChangesNothing() throws Exception {
        Path f = dir.resolve("sub/agent.db");
        try (Database db = Database.open(f, CLOCK)) {
            assertThat(db.schemaVersion()).isEqualTo(Migrations.latestVersion());
            try (Statement s = db.connection().createStatement()) {
                ResultSet rs = s.executeQuery("PRAGMA journal_mode");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
                for (String table : List.of("message_log", "performance_metrics", "anomalies", "bigrams",
                        "optimizations", "optimization_events", "models")) {
                    s.executeQuery("SELECT COUNT(*) FROM " + table).close();
                }
            }
        }
        try (Database db = Database.open(f, CLOCK); Statement s = db.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT version, name, applied_at_ms FROM schema_version ORDER BY version")) {
            for (int v = 1; v <= Migrations.latestVersion(); v++) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(v);
                assertThat(rs.getString(2)).isEqualTo(Migrations.FILES.get(v - 1));
                assertThat(rs.getLong(3)).isEqualTo(CLOCK.millis());
            }
            assertThat(rs.next()).as("each applied once").isFalse();
        }
    }

    /** A store left at each earlier version (as an older agent left it, with data) is brought to the latest. */
    @Test
    void aStoreAtEachEarlierVersionIsMigratedKeepingItsRows() throws Exception {
        for (int from = 1; from < Migrations.latestVersion(); from++) {
            Path f = dir.resolve("v" + from + ".db");
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f); Statement s = c.createStatement()) {
                for (int v = 1; v <= from; v++) {
                    for (String sql : Migrations.statements(v)) {
                        s.execute(sql);
                    }
                    s.execute("INSERT INTO schema_version VALUES (" + v + ", '" + Migrations.name(v) + "', 0)");
                }
                s.execute("INSERT INTO optimizations (recommendation_id, node_id, parameter, current_value, proposed_value, "
                        + "confidence, expected_improvement, target_metric, source, param_version, status, created_at_ms, "
                        + "seen_at_ms, updated_at_ms) VALUES ('r1', 'edge-1', 'buffer_size', 8192, 16384, 0.9, 0.3, "
                        + "'frames', 'rules', 1, 'advised', 1, 1, 1)");
            }
            try (Database db = Database.open(f, CLOCK); Statement s = db.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT recommendation_id, status, attempts FROM optimizations")) {
                assertThat(db.schemaVersion()).isEqualTo(Migrations.latestVersion());
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("r1");
                assertThat(rs.getString(2)).isEqualTo("advised");
                assertThat(rs.getInt(3)).as("a column of a later migration, at its default").isZero();
            }
        }
    }

    @Test
    void aStoreLockedByAnotherProcessIsOneClearLine() throws Exception {
        Path f = dir.resolve("locked.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f); Statement s = c.createStatement()) {
            for (String sql : Migrations.statements(1)) {
                s.execute(sql);
            }
            s.execute("INSERT INTO schema_version VALUES (1, '" + Migrations.name(1) + "', 0)");
        }
        // another process (an open sqlite3 shell, a second agent) holds the write lock while this one must migrate
        try (Connection holder = DriverManager.getConnection("jdbc:sqlite:" + f); Statement s = holder.createStatement()) {
            s.execute("BEGIN EXCLUSIVE");
            assertThatThrownBy(() -> Database.open(f, CLOCK)).isInstanceOf(StoreException.class)
                    .hasMessage(f + ": locked by another process for more than " + Database.BUSY_TIMEOUT_MS
                            + " ms; stop the process that holds it (an open sqlite3 shell, another agent) and try again");
            s.execute("ROLLBACK");
        }
        try (Database db = Database.open(f, CLOCK)) {
            assertThat(db.schemaVersion()).as("usable once the lock is gone").isEqualTo(Migrations.latestVersion());
        }
    }

    @Test
    void aStoreFromANewerQpIsRefusedWithOneLine() throws Exception {
        Path f = dir.resolve("newer.db");
        Database.open(f, CLOCK).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f); Statement s = c.createStatement()) {
            s.execute("INSERT INTO schema_version VALUES (99, 'V099__future.sql', 0)");
        }
        assertThatThrownBy(() -> Database.open(f, CLOCK)).isInstanceOf(StoreException.class)
                .hasMessage(f + ": written by a newer QP (schema version 99, this agent knows "
                        + Migrations.latestVersion() + "); upgrade the agent or pass another --db");
    }

    @Test
    void aCorruptFileIsOneClearLine() throws Exception {
        Path f = dir.resolve("corrupt.db");
        Files.write(f, "this is not an SQLite database, just text that is long enough to look like a header"
                .repeat(20).getBytes());
        assertThatThrownBy(() -> Database.open(f, CLOCK)).isInstanceOf(StoreException.class)
                .hasMessageStartingWith(f + ": not a readable QP store (")
                .hasMessageEndingWith("move it aside and start again, or pass another --db")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aMissingStoreForTheReadingCommandsSaysWhatToDo() {
        Path f = dir.resolve("none.db");
        assertThatThrownBy(() -> Database.openExisting(f, CLOCK))
                .hasMessage(f + ": no QP store here; start the agent (bin/qp agent) or pass --db FILE");
        assertThat(f).doesNotExist();
    }
}
