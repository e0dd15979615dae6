package qp.options.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import qp.options.TypedOption;

class OptionsTableTest {
    static final OptionsPage PAGE = new OptionsPage("sample-options", "sample options", "qp.Sample", "How to give them.\n",
            List.of(TypedOption.port("web-ui-port", 8081, "the UI"), TypedOption.flag("savepoint", "stop | save"),
                    TypedOption.string("from-savepoint", null, "a path"),
                    TypedOption.duration("timeout", Duration.ofMinutes(5), "how long")));

    @Test
    void aTableHasOneRowPerOptionWithItsTypeAndDefault() {
        assertThat(PAGE.table()).isEqualTo("""
                | option | type | default | description |
                |---|---|---|---|
                | `--web-ui-port` | port | `8081` | the UI |
                | `--savepoint` | flag | off | stop \\| save |
                | `--from-savepoint` | string | none | a path |
                | `--timeout` | duration | `5 min` | how long |
                """);
    }

    @Test
    void theReadmeGetsTheTableBetweenItsMarkersAndThePageNamesItsSource() {
        String readme = "# R\n<!-- sample-options:begin -->\nold\n<!-- sample-options:end -->\nafter\n";
        assertThat(PAGE.withTable(readme)).isEqualTo("# R\n<!-- sample-options:begin -->\n" + PAGE.table()
                + "<!-- sample-options:end -->\nafter\n");
        assertThat(PAGE.markdown()).startsWith("# sample options\n\n<!-- Generated from qp.Sample;")
                .endsWith(PAGE.table());
        assertThatThrownBy(() -> PAGE.withTable("# no table")).hasMessageContaining("<!-- sample-options:begin -->");
    }
}
