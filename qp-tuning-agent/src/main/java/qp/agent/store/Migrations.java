package qp.agent.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The store's schema migrations, in order: the files of {@code sql/sqlite/} (carried on the class path under the same
 * name). Migration N is the N-th file; a test checks that this list and the folder agree.
 */
public final class Migrations {
    /** File names in the order they are applied; append, never edit or reorder an applied one. */
    public static final List<String> FILES = List.of(
            "V001__initial.sql",
            "V002__agent_apply_state.sql",
            "V003__experiments.sql",
            "V004__window_latency_sketch.sql",
            "V005__gate_opposed.sql");

    private Migrations() {
    }

    public static int latestVersion() {
        return FILES.size();
    }

    /** The SQL statements of migration {@code version} (1-based), comments removed. */
    static List<String> statements(int version) {
        String name = FILES.get(version - 1);
        String sql;
        try (InputStream in = Migrations.class.getResourceAsStream("/sql/sqlite/" + name)) {
            if (in == null) {
                throw new IllegalStateException("migration " + name + " is not on the class path");
            }
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder code = new StringBuilder();
        for (String line : sql.split("\n")) {
            int comment = line.indexOf("--"); // the migrations hold no "--" inside string literals
            code.append(comment < 0 ? line : line.substring(0, comment)).append('\n');
        }
        List<String> out = new ArrayList<>();
        for (String s : code.toString().split(";")) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        return out;
    }

    static String name(int version) {
        return FILES.get(version - 1);
    }
}
