package qp.options.docs;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The Markdown table of a picocli command's options (option, default, description), from its annotations, for the
 * README's generated sections. A default picocli can show comes from the declaration; one the description states
 * ("Default: the host name", "(default ${DEFAULT-VALUE})") is moved to the default column. {@code --help} and
 * {@code --version} are left out.
 */
public final class PicocliOptionsTable {
    private static final Pattern STATED_DEFAULT = Pattern.compile(
            "\\s*(?:[.;]?\\s*\\bDefault:\\s*(?<a>.*?)\\.?|\\(default:?\\s*(?<b>[^)]*)\\)\\.?)$");

    private PicocliOptionsTable() {
    }

    public static String markdown(Object command) {
        CommandSpec spec = new CommandLine(command).getCommandSpec();
        StringBuilder md = new StringBuilder("| option | default | description |\n|---|---|---|\n");
        for (OptionSpec o : spec.options()) {
            if (o.usageHelp() || o.versionHelp()) {
                continue;
            }
            String description = String.join(" ", o.description()).strip();
            String stated = null;
            Matcher m = STATED_DEFAULT.matcher(description);
            if (m.find()) {
                stated = m.group("a") != null ? m.group("a") : m.group("b");
                description = description.substring(0, m.start()).strip();
            }
            if (description.endsWith(".") && !description.endsWith("..")) {
                description = description.substring(0, description.length() - 1); // the table's cells are phrases
            }
            md.append("| `").append(String.join("`, `", o.names())).append("` | ").append(cell(defaultOf(o, stated)))
                    .append(" | ").append(cell(description)).append(" |\n");
        }
        return md.toString();
    }

    private static boolean isBoolean(OptionSpec o) {
        return o.type() == boolean.class || o.type() == Boolean.class;
    }

    private static String defaultOf(OptionSpec o, String stated) {
        if (isBoolean(o)) {
            return "off";
        }
        String declared = o.defaultValue() == null ? null : o.defaultValueString(false); // as written, ${env:...} unresolved
        if (declared != null && declared.startsWith("${env:")) {
            // ${env:QP_PORT:-9999}: env QP_PORT, else 9999
            Matcher m = Pattern.compile("\\$\\{env:([A-Z0-9_]+)(?::-(.*))?}").matcher(declared);
            if (m.matches()) {
                return "env " + m.group(1) + (m.group(2) == null ? "" : ", else " + m.group(2));
            }
        }
        if (declared != null) {
            return declared;
        }
        if (stated != null && !stated.contains("${DEFAULT-VALUE}")) {
            return stated;
        }
        return "none";
    }

    private static String cell(String text) {
        return text.replace("${DEFAULT-VALUE}", "the default").replace("|", "\\|").replace("\n", " ");
    }
}
