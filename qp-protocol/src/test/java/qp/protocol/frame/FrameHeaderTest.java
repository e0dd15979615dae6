package qp.protocol.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class FrameHeaderTest {

    @Test
    void aGoodHeaderGivesItsLengthTypeAndCompressedBit() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(3 + FrameHeader.BYTES);
        b.position(3);
        FrameHeader.write(b, MessageType.COMMAND.code() | FrameHeader.COMPRESSED_BIT, 1000);
        assertThat(FrameHeader.check(b, 3, 1000)).isEqualTo(1000);
        assertThat(FrameHeader.type(b, 3)).isEqualTo(MessageType.COMMAND);
        assertThat(FrameHeader.compressed(b, 3)).isTrue();
    }

    @Test
    void badMagicUnknownTypeAndOversizeAreRefusedWithTheirCodes() {
        assertCode(new byte[] {0x50, 0x51, 2, 0, 0, 0, 0}, 100, ErrorCode.BAD_FRAME, "magic");
        assertCode(new byte[] {0x51, 0x50, 0, 0, 0, 0, 0}, 100, ErrorCode.BAD_FRAME, "unknown type");
        assertCode(new byte[] {0x51, 0x50, (byte) 0x88, 0, 0, 0, 0}, 100, ErrorCode.BAD_FRAME, "unknown type");
        assertCode(new byte[] {0x51, 0x50, 2, 0, 0, 0, 101}, 100, ErrorCode.FRAME_TOO_LARGE, "101");
        assertCode(new byte[] {0x51, 0x50, 2, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, Integer.MAX_VALUE,
                ErrorCode.FRAME_TOO_LARGE, "4294967295");
    }

    private static void assertCode(byte[] header, long max, ErrorCode code, String reasonPart) {
        assertThatThrownBy(() -> FrameHeader.check(ByteBuffer.wrap(header), 0, max))
                .isInstanceOfSatisfying(FrameException.class, e -> assertThat(e.code()).isEqualTo(code))
                .hasMessageContaining(reasonPart);
    }
}
