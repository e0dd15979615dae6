package qp.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AckPayloadTest {
    @ParameterizedTest
    @ValueSource(longs = {0, 7, 10, -1, -5, -10, 9007199254740993L, Long.MAX_VALUE, Long.MIN_VALUE, 123456789})
    void writesTheIdAsJsonDoes(long id) {
        byte[] result = "xx{\"a\":1}yy".getBytes(StandardCharsets.UTF_8);
        byte[] payload = FrameWriter.ackPayload(id, result, 2, 7);
        assertThat(new String(payload, StandardCharsets.UTF_8)).isEqualTo("{\"id\":" + id + ",\"result\":{\"a\":1}}");
        assertThat(FrameWriter.digits(id)).isEqualTo(Long.toString(id).length());
    }
}
