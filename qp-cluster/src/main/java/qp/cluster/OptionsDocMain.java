package qp.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import qp.cluster.session.ClusterOptions;
import qp.cluster.submit.SubmitOptions;
import qp.options.docs.OptionsTable;
import qp.options.docs.ReadmeSection;

/** {@code bin/qp docs}: rewrites the README's tables of the cluster and submit options from their declarations. */
public final class OptionsDocMain {
    private OptionsDocMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2 || !args[0].equals("--write")) {
            System.err.println("usage: OptionsDocMain --write REPO_ROOT");
            System.exit(2);
        }
        Path readme = Path.of(args[1]).resolve("README.md");
        Files.writeString(readme, withTables(Files.readString(readme, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    public static String withTables(String readme) {
        String r = ReadmeSection.replace(readme, "cluster-options", OptionsTable.markdown(ClusterOptions.ALL));
        return ReadmeSection.replace(r, "submit-options", OptionsTable.markdown(SubmitOptions.ALL));
    }
}
