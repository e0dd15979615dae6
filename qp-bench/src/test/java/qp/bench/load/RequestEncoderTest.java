package qp.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import qp.protocol.frame.Frame;
import qp.protocol.frame.FrameReader;
import qp.protocol.frame.MessageType;
import qp.protocol.json.QpJson;

class RequestEncoderTest {

    @Test
    void echoCommandIsPaddedToThePayloadSizeAndCarriesTheId() throws Exception {
        RequestEncoder enc = new RequestEncoder(64, 4, false);
        Frame f = FrameReader.readAll(ByteBuffer.wrap(enc.echo(1_000_000_042L)), 1 << 20)[0];
        assertThat(f.type()).isEqualTo(MessageType.COMMAND);
        assertThat(f.payload()).hasSize(64);
        JsonNode cmd = QpJson.tree(f.payload());
        assertThat(cmd.get("id").asLong()).isEqualTo(1_000_000_042L);
        assertThat(cmd.get("op").asText()).isEqualTo("echo");
    }

    @Test
    void compressedEchoInflatesToTheSameCommand() throws Exception {
        RequestEncoder enc = new RequestEncoder(200, 4, true);
        Frame f = FrameReader.readAll(ByteBuffer.wrap(enc.echo(1_000_000_007L)), 1 << 20)[0];
        assertThat(f.compressed()).isTrue();
        assertThat(QpJson.tree(f.payload()).get("id").asLong()).isEqualTo(1_000_000_007L);
    }

    @Test
    void mixParsesWeightsAndRejectsUnknownOps() {
        assertThat(OpMix.parse("echo=3,ping=1")).isEqualTo(new OpMix(3, 1, 0, 0));
        assertThatThrownBy(() -> OpMix.parse("echo=1,fly=2")).hasMessageContaining("fly");
        assertThatThrownBy(() -> OpMix.parse("echo=0")).hasMessageContaining("at least one op");
    }

    @Test
    void planRefusesTargetsOffThisMachine() {
        assertThatThrownBy(() -> new LoadPlan(URI.create("ws://10.1.2.3:9999/qp"), 1, 1, Duration.ZERO,
                Duration.ofSeconds(1), OpMix.parse("echo=1"), 64, 1, false, "t"))
                .hasMessageContaining("not a loopback address");
        assertThatThrownBy(() -> new LoadPlan(URI.create("ws://127.0.0.1:9999/qp"), 1, 1, Duration.ZERO,
                Duration.ofHours(2), OpMix.parse("echo=1"), 64, 1, false, "t"))
                .hasMessageContaining("at most");
    }
}
