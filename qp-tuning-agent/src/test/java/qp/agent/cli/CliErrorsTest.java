package qp.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qp.agent.testing.ScenarioStore;

/** Every way a user can get it wrong: one clear line on stderr, a non-zero exit, no stack trace. */
class CliErrorsTest {
    @TempDir
    Path dir;

    static void assertOneLine(Cli c, int code, String... fragments) {
        assertThat(c.code()).as(c.err()).isEqualTo(code);
        assertThat(c.oneCleanErrorLine()).as("one line without a trace: " + c.err()).isTrue();
        assertThat(c.err()).contains(fragments);
        assertThat(c.out()).isEmpty();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void badArgumentsAreUsageErrors() throws Exception {
        Path db = ScenarioStore.create(dir.resolve("a.db"));
        assertOneLine(Cli.run(ScenarioStore.CLOCK, "stats", "--bogus"), 2, "qp stats: Unknown option: '--bogus'",
                "bin/qp stats --help");
        assertOneLine(Cli.run(ScenarioStore.CLOCK, "stats", "--since", "yesterday", "--db", db.toString()), 2,
                "'yesterday' is not a time");
        assertOneLine(Cli.run(ScenarioStore.CLOCK, "nosuch"), 2, "Unmatched argument");
        assertOneLine(Cli.run(ScenarioStore.CLOCK), 2, "a command is needed");
        Path agentConfig = Files.writeString(dir.resolve("agent.json"), "{\"gateways\": []}");
        assertOneLine(Cli.run(ScenarioStore.CLOCK, "optimize", "-o", "cooldown=soon", "--db", db.toString(), "--config",
                agentConfig.toString()), 2, "--cooldown: cannot read 'soon'");
        assertOneLine(Cli.run(ScenarioStore.CLOCK, "export"), 2, "Missing required option: '--out=FILE'");
        assertOneLine(Cli.run(ScenarioStore.CLOCK, "replay", db.toString(), "--speed", "fast"), 2, "'fast' is not a speed");
        assertOneLine(Cli.run(ScenarioStore.CLOCK, "replay", db.toString(), "--to", "http://x"), 2,
                "neither kafka nor a ws://HOST:PORT/qp URL");
    }

    @Test
    void helpIsThereForEveryCommand() {
        for (String cmd : new String[] {"stats", "analyze", "export", "replay", "optimize", "report", "experiments", "tail"}) {
            Cli c = Cli.run(ScenarioStore.CLOCK, cmd, "--help");
            assertThat(c.code()).isZero();
            assertThat(c.out()).contains("Usage: qp " + cmd);
        }
    }

    @Test
    void aMissingStoreSaysWhatToDo() {
        Path db = dir.resolve("none.db");
        for (String cmd : new String[] {"stats", "analyze", "optimize", "report", "experiments"}) {
            assertOneLine(Cli.run(ScenarioStore.CLOCK, cmd, "--db", db.toString()), 1, "no QP store here",
                    "pass --db FILE");
        }
        assertThat(db).doesNotExist();
    }

    @Test
    void aCorruptStoreIsOneLine() throws Exception {
        Path db = dir.resolve("corrupt.db");
        Files.write(db, new byte[4096]);
        Files.writeString(db, "this is not a database file at all, and SQLite will say so ".repeat(50));
        assertOneLine(Cli.run(ScenarioStore.CLOCK, "stats", "--db", db.toString()), 1, "not a readable QP store");
    }

    @Test
    void aLockedStoreIsOneLine() throws Exception {
        Path db = ScenarioStore.create(dir.resolve("locked.db"));
        try (Connection holder = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
             Statement s = holder.createStatement()) {
            s.execute("PRAGMA locking_mode = EXCLUSIVE");
            s.execute("BEGIN EXCLUSIVE");
            s.execute("UPDATE optimizations SET reason = reason");
            assertOneLine(Cli.run(ScenarioStore.CLOCK, "report", "--db", db.toString()), 1, "locked by another process");
            s.execute("ROLLBACK");
        }
    }

    @Test
    void anUnreachableBrokerIsOneLine() throws Exception {
        int port = freePort();
        assertOneLine(Cli.run(Clock.systemUTC(), "export", "--kafka", "127.0.0.1:" + port, "--timeout", "2s", "--out",
                dir.resolve("x.jsonl").toString()), 1, "cannot reach Kafka at 127.0.0.1:" + port, "bin/qp kafka start");
        Path file = dir.resolve("one.jsonl");
        Files.writeString(file, "{\"topic\":\"qp.frames\",\"partition\":0,\"offset\":0,\"key\":\"c\",\"timestampMillis\":1,"
                + "\"value\":{\"nodeId\":\"n\"}}\n");
        assertOneLine(Cli.run(Clock.systemUTC(), "replay", file.toString(), "--kafka", "127.0.0.1:" + port,
                "--timeout", "2s"), 1, "cannot reach Kafka at 127.0.0.1:" + port);
    }

    @Test
    void anUnreachableGatewayIsOneLine() throws Exception {
        int port = freePort();
        Path file = dir.resolve("frames.jsonl");
        Files.writeString(file, "{\"topic\":\"qp.frames\",\"partition\":0,\"offset\":0,\"key\":\"c1\",\"timestampMillis\":1,"
                + "\"value\":{\"nodeId\":\"n\",\"connectionId\":\"c1\",\"seq\":0,\"type\":\"AUTH\",\"direction\":\"IN\","
                + "\"wireBytes\":20,\"rawBytes\":13,\"compressed\":false,\"latencyMicros\":5,\"outcome\":\"ok\","
                + "\"paramVersion\":1,\"eventTimeMillis\":1}}\n");
        assertOneLine(Cli.run(Clock.systemUTC(), Map.of("QP_TOKEN", "t"), "replay", file.toString(), "--to",
                "ws://127.0.0.1:" + port + "/qp"), 1, "cannot reach the gateway at ws://127.0.0.1:" + port + "/qp");
        assertOneLine(Cli.run(Clock.systemUTC(), "replay", file.toString(), "--to", "ws://127.0.0.1:" + port + "/qp"),
                2, "needs the client token");
    }

    @Test
    void aBadExportFileNamesItsLine() throws Exception {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, "{\"topic\":\"qp.frames\",\"value\":{}}\nnot json\n");
        assertOneLine(Cli.run(Clock.systemUTC(), Map.of("QP_TOKEN", "t"), "replay", file.toString(), "--to",
                "ws://127.0.0.1:1/qp"), 1, "line 2 is not JSON");
        assertOneLine(Cli.run(Clock.systemUTC(), "replay", dir.resolve("nope.jsonl").toString()), 1,
                "no such export file");
    }
}
