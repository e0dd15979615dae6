package qp.options.docs;

/**
 * A generated part of the README: the text between {@code <!-- NAME:begin -->} and {@code <!-- NAME:end -->}.
 * {@code bin/qp docs} rewrites these parts from the declarations; each module's drift test fails when one differs.
 */
public final class ReadmeSection {
    private ReadmeSection() {
    }

    /** The README with the section's content replaced by {@code content} (which ends with a newline). */
    public static String replace(String readme, String name, String content) {
        String begin = "<!-- " + name + ":begin -->";
        String end = "<!-- " + name + ":end -->";
        int b = readme.indexOf(begin);
        int e = readme.indexOf(end);
        if (b < 0 || e < b) {
            throw new IllegalArgumentException("README.md has no " + begin + " ... " + end + " section");
        }
        return readme.substring(0, b + begin.length()) + "\n" + content + readme.substring(e);
    }
}
