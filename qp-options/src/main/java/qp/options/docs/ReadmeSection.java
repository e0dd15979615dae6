package qp.options.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * A generated part of the README: the text between {@code <!-- NAME:begin -->} and {@code <!-- NAME:end -->}.
 * {@code bin/qp docs} rewrites these parts from the declarations; each module's drift test fails when one differs.
 */
public final class ReadmeSection {
    private ReadmeSection() {
    }

    /** The README with the section's content replaced by {@code content} (which ends with a newline). */
    public static String replace(String readme, String name, String content) {
        String begin = "<!-- " + name + ":begin -->";
        String end = "<!-- " + name + ":end -->";
        int b = readme.indexOf(begin);
        int e = readme.indexOf(end);
        if (b < 0 || e < b) {
            throw new IllegalArgumentException("README.md has no " + begin + " ... " + end + " section");
        }
        return readme.substring(0, b + begin.length()) + "\n" + content + readme.substring(e);
    }

    /**
     * The {@code main} of a component's docs writer: {@code --write REPO_ROOT} rewrites ROOT/README.md with
     * {@code withTables}; anything else prints the usage of {@code command} and exits 2.
     */
    public static void writeReadme(String command, String[] args, UnaryOperator<String> withTables) throws IOException {
        if (args.length != 2 || !args[0].equals("--write")) {
            System.err.println("usage: " + command + " --write REPO_ROOT");
            System.exit(2);
        }
        Path readme = Path.of(args[1]).resolve("README.md");
        Files.writeString(readme, withTables.apply(Files.readString(readme, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }
}
