package qp.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import qp.options.docs.PicocliOptionsTable;
import qp.options.docs.ReadmeSection;

/** {@code bin/qp docs}: the README's table of the demo's options, from {@link DemoMain}'s declarations. */
public final class DemoOptionsDoc {
    private DemoOptionsDoc() {
    }

    public static String withTable(String readme) {
        return ReadmeSection.replace(readme, "demo-options", PicocliOptionsTable.markdown(new DemoMain()));
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2 || !args[0].equals("--write")) {
            System.err.println("usage: DemoOptionsDoc --write REPO_ROOT");
            System.exit(2);
        }
        Path readme = Path.of(args[1]).resolve("README.md");
        Files.writeString(readme, withTable(Files.readString(readme, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }
}
