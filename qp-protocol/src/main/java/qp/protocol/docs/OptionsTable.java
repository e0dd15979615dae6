package qp.protocol.docs;

import java.util.List;

/**
 * The Markdown table of a component's declared options (option, type, default, description), the one format the
 * job's, the agent's and the cluster's generated docs share.
 */
public final class OptionsTable {
    /**
     * One option.
     *
     * @param defaultValue the default as written on a command line; null when there is none
     */
    public record Row(String name, String type, boolean flag, String defaultValue, String description) {
    }

    private OptionsTable() {
    }

    public static String markdown(List<Row> rows) {
        StringBuilder md = new StringBuilder("| option | type | default | description |\n|---|---|---|---|\n");
        for (Row r : rows) {
            md.append("| `--").append(r.name()).append("` | ").append(cell(r.type())).append(" | ")
                    .append(r.flag() ? "off" : r.defaultValue() == null ? "none" : "`" + r.defaultValue() + "`")
                    .append(" | ").append(cell(r.description())).append(" |\n");
        }
        return md.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
