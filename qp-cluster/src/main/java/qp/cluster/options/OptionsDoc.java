package qp.cluster.options;

import java.util.List;
import qp.protocol.docs.OptionsTable;
import qp.protocol.docs.ReadmeSection;

/**
 * The Markdown table of a command's options, from its declarations, and the README with that table put between
 * {@code <!-- NAME:begin -->} and {@code <!-- NAME:end -->}. {@code OptionsDocTest} fails when the README drifts.
 */
public final class OptionsDoc {
    private OptionsDoc() {
    }

    public static String table(List<CliOption<?>> options) {
        return OptionsTable.markdown(options.stream().map(OptionsDoc::row).toList());
    }

    private static OptionsTable.Row row(CliOption<?> o) {
        return new OptionsTable.Row(o.name(), o.typeName(), o.isFlag(),
                o.defaultValue() == null ? null : o.format(o.defaultValue()), o.description());
    }

    public static String withTable(String readme, String name, List<CliOption<?>> options) {
        return ReadmeSection.replace(readme, name, table(options));
    }
}
