package qp.protocol.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RepeatedStringsTest {

    @Test
    void givesTheSameStringBackForTheSameBytes() {
        RepeatedStrings strings = new RepeatedStrings();
        byte[] a = "xxCOMMANDyy".getBytes(StandardCharsets.US_ASCII);
        String first = strings.get(a, 2, 7, hash("COMMAND"));
        assertThat(first).isEqualTo("COMMAND");
        assertThat(strings.get(a.clone(), 2, 7, hash("COMMAND"))).isSameAs(first);
    }

    /** Every value read through a table of colliding slots is the value of its own bytes (String is the oracle). */
    @Test
    void neverHandsOutAnotherValueWhateverCollides() {
        RepeatedStrings strings = new RepeatedStrings();
        Random rnd = new Random(5);
        for (int i = 0; i < 100_000; i++) {
            String v = "v" + rnd.nextInt(3_000); // more values than slots: collisions and replacements
            byte[] b = v.getBytes(StandardCharsets.US_ASCII);
            int hash = rnd.nextInt(4) == 0 ? 7 : hash(v); // and some forced into one slot
            assertThat(strings.get(b, 0, b.length, hash)).isEqualTo(v);
        }
    }

    private static int hash(String s) {
        int h = 0;
        for (int i = 0; i < s.length(); i++) {
            h = 31 * h + s.charAt(i);
        }
        return h;
    }
}
