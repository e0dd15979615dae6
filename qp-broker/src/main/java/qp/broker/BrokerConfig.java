package qp.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one broker configuration ({@code broker.properties} beside this class), with its ports and data directory
 * filled in. {@link EmbeddedKafka} starts the tests' broker from it; {@code bin/qp kafka start} writes it to a file
 * through {@link #main}.
 */
public final class BrokerConfig {
    private static final String TEMPLATE = "broker.properties";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(\\w+)}");

    private BrokerConfig() {
    }

    /** The configuration file's text for a broker on {@code port} / {@code controllerPort} keeping its logs in {@code dataDir}. */
    public static String render(int port, int controllerPort, Path dataDir) {
        Map<String, String> values = Map.of("port", String.valueOf(port), "controllerPort", String.valueOf(controllerPort),
                "dataDir", dataDir.toAbsolutePath().toString());
        Matcher m = PLACEHOLDER.matcher(template());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException(TEMPLATE + " has an unknown placeholder " + m.group());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    public static Properties properties(int port, int controllerPort, Path dataDir) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(render(port, controllerPort, dataDir)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    private static String template() {
        try (InputStream in = BrokerConfig.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException(TEMPLATE + " is missing from the class path of qp-test-support");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code BrokerConfig <port> <controllerPort> <dataDir> <file>}: writes the configuration to {@code file}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: BrokerConfig <port> <controllerPort> <dataDir> <file>");
            System.exit(2);
        }
        Files.writeString(Path.of(args[3]), render(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Path.of(args[2])));
    }
}
