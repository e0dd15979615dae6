package qp.cluster.options;

import java.util.List;
import qp.protocol.docs.ReadmeSection;

/**
 * The Markdown table of a command's options, from its declarations, and the README with that table put between
 * {@code <!-- NAME:begin -->} and {@code <!-- NAME:end -->}. {@code OptionsDocTest} fails when the README drifts.
 */
public final class OptionsDoc {
    private OptionsDoc() {
    }

    public static String table(List<CliOption<?>> options) {
        StringBuilder md = new StringBuilder("| option | type | default | description |\n|---|---|---|---|\n");
        for (CliOption<?> o : options) {
            md.append("| `--").append(o.name()).append("` | ").append(o.typeName()).append(" | ")
                    .append(o.isFlag() ? "off" : o.defaultValue() == null ? "none" : "`" + o.format(o.defaultValue()) + "`")
                    .append(" | ").append(o.description().replace("|", "\\|")).append(" |\n");
        }
        return md.toString();
    }

    public static String withTable(String readme, String name, List<CliOption<?>> options) {
        return ReadmeSection.replace(readme, name, table(options));
    }
}
