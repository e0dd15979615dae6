package qp.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionArgsTest {
    enum Delivery { EXACTLY_ONCE, AT_LEAST_ONCE }

    static final TypedOption<String> URL = TypedOption.string("rest-url", "http://localhost:8081", "where");
    static final TypedOption<Integer> PORT = TypedOption.port("web-ui-port", 8081, "the UI");
    static final TypedOption<Double> SHARE = TypedOption.decimal("share", 0.1, "a share");
    static final TypedOption<Duration> TIMEOUT = TypedOption.duration("timeout", Duration.ofMinutes(5), "how long");
    static final TypedOption<Boolean> LOCAL = TypedOption.flag("local", "run here");
    static final TypedOption<Delivery> DELIVERY = TypedOption.choice("delivery", Delivery.EXACTLY_ONCE, "how");
    static final TypedOption<Path> DIR = TypedOption.path("dir", null, "a folder");
    static final List<TypedOption<?>> ALL = List.of(URL, PORT, SHARE, TIMEOUT, LOCAL, DELIVERY, DIR);

    @Test
    void valuesReadInEveryFormAndTheRestIsKeptInOrder() {
        OptionArgs a = OptionArgs.parse(ALL, "--rest-url", "http://jm:8081", "--window-size", "1s", "--share=0.25",
                "--local", "-Dx=y", "--delivery", "at-least-once", "--timeout", "90s", "--dir", "target/x");
        assertThat(a.get(URL)).isEqualTo("http://jm:8081");
        assertThat(a.get(SHARE)).isEqualTo(0.25);
        assertThat(a.get(LOCAL)).isTrue();
        assertThat(a.get(DELIVERY)).isEqualTo(Delivery.AT_LEAST_ONCE);
        assertThat(a.get(TIMEOUT)).isEqualTo(Duration.ofSeconds(90));
        assertThat(a.get(DIR)).isEqualTo(Path.of("target/x"));
        assertThat(a.get(PORT)).isEqualTo(8081);
        assertThat(a.isSet(PORT)).isFalse();
        assertThat(a.rest()).containsExactly("--window-size", "1s", "-Dx=y");
    }

    @Test
    void aFlagTakesAnExplicitBooleanAndALaterValueWins() {
        assertThat(OptionArgs.parse(ALL, "--local", "false").get(LOCAL)).isFalse();
        assertThat(OptionArgs.parse(ALL, "--local=false").get(LOCAL)).isFalse();
        assertThat(OptionArgs.parse(ALL, "--local", "--share", "0.5").get(LOCAL)).isTrue();
        assertThat(OptionArgs.parse(ALL, "--web-ui-port", "8081", "--web-ui-port", "31681").get(PORT)).isEqualTo(31681);
    }

    @Test
    void badValuesNameTheOptionTheValueAndWhatIsExpected() {
        assertThatThrownBy(() -> OptionArgs.parse(ALL, "--web-ui-port", "80x"))
                .hasMessageContaining("--web-ui-port").hasMessageContaining("'80x'").hasMessageContaining("port");
        assertThatThrownBy(() -> OptionArgs.parse(ALL, "--web-ui-port", "70000")).hasMessageContaining("0..65535");
        assertThatThrownBy(() -> OptionArgs.parse(ALL, "--timeout", "soon"))
                .hasMessageContaining("--timeout").hasMessageContaining("500ms, 10s, 5min, 1h");
        assertThatThrownBy(() -> OptionArgs.parse(ALL, "--share")).hasMessageContaining("--share needs a value (double)");
        assertThatThrownBy(() -> OptionArgs.parse(ALL, "--share", "--local")).hasMessageContaining("--share needs a value");
        assertThatThrownBy(() -> OptionArgs.parse(ALL, "--delivery", "maybe"))
                .hasMessageContaining("exactly-once|at-least-once");
        assertThatThrownBy(() -> OptionArgs.parse(ALL, "--local=yes")).hasMessageContaining("expected true or false");
    }

    @Test
    void aCommandWithoutPositionalArgumentsSaysWhatIsWrong() {
        assertThatThrownBy(() -> OptionArgs.parse(ALL, "--windw-size=1s").requireNoRest("--help"))
                .hasMessage("unknown option --windw-size; see --help");
        assertThatThrownBy(() -> OptionArgs.parse(ALL, "stray").requireNoRest("--help"))
                .hasMessageContaining("unexpected argument 'stray'");
        assertThatThrownBy(() -> OptionArgs.parse(ALL, "--share", "0.2", "--old-share=0.1")
                .requireNoRest("--help", java.util.Map.of("old-share", "--share")))
                .hasMessage("--old-share is retired: use --share");
    }

    @Test
    void optionsAndTheirValuesSurviveJavaSerialization() throws Exception {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(TIMEOUT);
            out.writeObject(DELIVERY);
        }
        try (var in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            @SuppressWarnings("unchecked")
            TypedOption<Duration> t = (TypedOption<Duration>) in.readObject();
            assertThat(t.parse("2min")).isEqualTo(Duration.ofMinutes(2));
            assertThat(((TypedOption<?>) in.readObject()).parse("at-least-once")).isEqualTo(Delivery.AT_LEAST_ONCE);
        }
    }
}
