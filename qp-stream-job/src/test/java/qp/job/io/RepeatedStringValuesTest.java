package qp.job.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.StringValue;
import org.junit.jupiter.api.Test;

/** What {@code StringValue.writeString} wrote reads back equal to {@code StringValue.readString}'s result. */
class RepeatedStringValuesTest {
    @Test
    void readsWhatStringValueWroteEqualToItsOwnReader() throws Exception {
        SplittableRandom random = new SplittableRandom(20);
        List<String> values = new ArrayList<>();
        values.add(null);
        values.add("");
        values.add("edge-1");
        values.add("COMMAND");
        values.add("x".repeat(RepeatedStringValues.MAX_LENGTH));
        values.add("y".repeat(RepeatedStringValues.MAX_LENGTH + 1));
        values.add("ünïcødé ✓ \uD83D\uDE00"); // chars of two and three varint bytes, and a surrogate pair
        for (int i = 0; i < 2_000; i++) {
            int n = random.nextInt(0, 80);
            StringBuilder b = new StringBuilder();
            for (int j = 0; j < n; j++) {
                b.append((char) (random.nextBoolean() ? random.nextInt(32, 127) : random.nextInt(0, 0x10000)));
            }
            values.add(b.toString());
        }
        DataOutputSerializer out = new DataOutputSerializer(1 << 16);
        for (String v : values) {
            StringValue.writeString(v, out);
        }
        DataInputDeserializer oracle = new DataInputDeserializer(out.getCopyOfBuffer());
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        for (String v : values) {
            String expected = StringValue.readString(oracle);
            assertThat(expected).isEqualTo(v);
            assertThat(RepeatedStringValues.read(in)).isEqualTo(expected);
        }
        assertThat(in.available()).isZero();
    }

    @Test
    void aShortValueReadAgainIsTheSameInstanceAndALongOneIsNot() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        String longValue = "c".repeat(RepeatedStringValues.MAX_LENGTH + 5);
        for (int i = 0; i < 2; i++) {
            StringValue.writeString("edge-7", out);
            StringValue.writeString(longValue, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        String a = RepeatedStringValues.read(in);
        String la = RepeatedStringValues.read(in);
        String b = RepeatedStringValues.read(in);
        String lb = RepeatedStringValues.read(in);
        assertThat(b).isEqualTo("edge-7").isSameAs(a);
        assertThat(lb).isEqualTo(longValue).isNotSameAs(la);
    }
}
