package qp.cluster;

import java.io.IOException;
import qp.cluster.session.ClusterOptions;
import qp.cluster.submit.SubmitOptions;
import qp.options.docs.OptionsTable;
import qp.options.docs.ReadmeSection;

/** {@code bin/qp docs}: rewrites the README's tables of the cluster and submit options from their declarations. */
public final class OptionsDocMain {
    private OptionsDocMain() {
    }

    public static void main(String[] args) throws IOException {
        ReadmeSection.writeReadme("OptionsDocMain", args, OptionsDocMain::withTables);
    }

    public static String withTables(String readme) {
        String r = ReadmeSection.replace(readme, "cluster-options", OptionsTable.markdown(ClusterOptions.ALL));
        return ReadmeSection.replace(r, "submit-options", OptionsTable.markdown(SubmitOptions.ALL));
    }
}
