package qp.demo;

import java.io.IOException;
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
        ReadmeSection.writeReadme("DemoOptionsDoc", args, DemoOptionsDoc::withTable);
    }
}
