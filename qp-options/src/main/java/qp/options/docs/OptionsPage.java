package qp.options.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import qp.options.TypedOption;

/**
 * A component's generated options page ({@code docs/NAME-options.md}) and the same table in the README between
 * {@code <!-- NAME-options:begin -->} and {@code <!-- NAME-options:end -->}. {@code bin/qp docs} writes both; each
 * component's drift test fails when either differs from the declarations.
 *
 * @param section   the README section and page name, e.g. {@code job-options}
 * @param title     the page's heading
 * @param source    the class that declares the options, named in the "do not edit" line
 * @param intro     the paragraph under the heading (how the options are given), ending with a newline
 * @param options   the declarations, in table order
 */
public record OptionsPage(String section, String title, String source, String intro, List<? extends TypedOption<?>> options) {

    public String markdown() {
        return "# " + title + "\n\n<!-- Generated from " + source + "; do not edit by hand: bin/qp docs. -->\n\n"
                + intro + "\n" + table();
    }

    public String table() {
        return OptionsTable.markdown(options);
    }

    /** The README text with this page's table put between its markers. */
    public String withTable(String readme) {
        return ReadmeSection.replace(readme, section, table());
    }

    public Path pagePath(Path root) {
        return root.resolve("docs").resolve(section + ".md");
    }

    /** Rewrites ROOT/docs/SECTION.md and ROOT/README.md's section. */
    public void write(Path root) throws IOException {
        Files.writeString(pagePath(root), markdown(), StandardCharsets.UTF_8);
        Path readme = root.resolve("README.md");
        Files.writeString(readme, withTable(Files.readString(readme, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    /** {@code --write ROOT} rewrites the page and the README; no argument prints the page. */
    public void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("--write")) {
            write(Path.of(args[1]));
        } else if (args.length == 0) {
            System.out.print(markdown());
        } else {
            System.err.println("usage: [--write REPO_ROOT]");
            System.exit(2);
        }
    }
}
