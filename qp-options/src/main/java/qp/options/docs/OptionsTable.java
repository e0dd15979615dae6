package qp.options.docs;

import java.util.List;
import qp.options.TypedOption;

/**
 * The Markdown table of a command's declared options (option, type, default, description), the one format of the
 * job's, the agent's and the cluster commands' generated docs.
 */
public final class OptionsTable {
    private OptionsTable() {
    }

    public static String markdown(List<? extends TypedOption<?>> options) {
        StringBuilder md = new StringBuilder("| option | type | default | description |\n|---|---|---|---|\n");
        for (TypedOption<?> o : options) {
            String def = o.isFlag() ? "off" : o.defaultValue() == null ? "none" : "`" + o.format(o.defaultValue()) + "`";
            md.append("| `--").append(o.name()).append("` | ").append(cell(o.typeName())).append(" | ").append(def)
                    .append(" | ").append(cell(o.description())).append(" |\n");
        }
        return md.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
