package qp.protocol.frame;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessageAssemblerTest {
    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static String text(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return new String(a, StandardCharsets.US_ASCII);
    }

    @Test
    void aMessageInPartsComesOutWholeWithItsLastPartAndTheNextStartsEmpty() {
        MessageAssembler m = new MessageAssembler();
        assertThat(m.add(bytes("ab"), false)).isNull();
        assertThat(m.add(bytes("cd"), false)).isNull();
        assertThat(text(m.add(bytes("e"), true))).isEqualTo("abcde");
        assertThat(m.add(bytes("x"), false)).isNull();
        assertThat(text(m.add(bytes("yz"), true))).isEqualTo("xyz");
    }

    @Test
    void aMessageInOnePartIsHandedOnAsItCame() {
        ByteBuffer one = bytes("whole");
        assertThat(new MessageAssembler().add(one, true)).isSameAs(one);
    }
}
