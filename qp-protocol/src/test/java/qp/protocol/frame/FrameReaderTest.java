package qp.protocol.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameReaderTest {
    private static final long MAX = 1024 * 1024;

    @Test
    void readsBatchedFramesInOrder() throws Exception {
        byte[] msg = FrameEncoder.concat(
                FrameEncoder.encode(MessageType.HEARTBEAT, new byte[0]),
                FrameEncoder.encode(MessageType.DATA, "hello".getBytes(StandardCharsets.UTF_8), true));
        Frame[] frames = FrameReader.readAll(ByteBuffer.wrap(msg), MAX);
        assertThat(frames).hasSize(2);
        assertThat(frames[0].type()).isEqualTo(MessageType.HEARTBEAT);
        assertThat(frames[0].wireBytes()).isEqualTo(7);
        assertThat(frames[1].compressed()).isTrue();
        assertThat(new String(frames[1].payload(), StandardCharsets.UTF_8)).isEqualTo("hello");
    }

    @Test
    void headerIsMagicTypeAndBigEndianLength() {
        byte[] f = FrameEncoder.encode(MessageType.COMMAND, new byte[] {1, 2, 3});
        assertThat(f).startsWith(0x51, 0x50, 0x01, 0, 0, 0, 3, 1, 2, 3);
    }

    @Test
    void rejectsWrongMagicUnknownTypeAndLeftoverBytes() {
        assertBad(new byte[] {0x51, 0x51, 1, 0, 0, 0, 0}, ErrorCode.BAD_FRAME, "magic");
        assertBad(new byte[] {0x51, 0x50, 0x08, 0, 0, 0, 0}, ErrorCode.BAD_FRAME, "unknown type");
        assertBad(new byte[] {0x51, 0x50, 0x00, 0, 0, 0, 0}, ErrorCode.BAD_FRAME, "unknown type");
        assertBad(new byte[] {0x51, 0x50, 1}, ErrorCode.BAD_FRAME, "trailing");
        assertBad(new byte[] {0x51, 0x50, 2, 0, 0, 0, 5, 1}, ErrorCode.BAD_FRAME, "only 1");
        assertBad(FrameEncoder.encodeRaw(MessageType.DATA, true, new byte[] {1, 2, 3}), ErrorCode.BAD_FRAME, "zlib");
    }

    @Test
    void lengthOverMaxIsTooLargeEvenWhenThePayloadIsMissing() {
        assertBad(new byte[] {0x51, 0x50, 2, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff},
                ErrorCode.FRAME_TOO_LARGE, "4294967295");
    }

    @Test
    void compressedPayloadThatInflatesPastTheLimitIsTooLarge() {
        byte[] bomb = FrameEncoder.encode(MessageType.DATA, new byte[4 * 1024 * 1024], true);
        assertThat(bomb.length).isLessThan(1024 * 1024);
        assertBad(bomb, ErrorCode.FRAME_TOO_LARGE, "inflates");
    }

    @Test
    void compressedEmptyPayloadInflatesToNothing() throws Exception {
        Frame[] frames = FrameReader.readAll(ByteBuffer.wrap(FrameEncoder.encode(MessageType.DATA, new byte[0], true)), MAX);
        assertThat(frames[0].compressed()).isTrue();
        assertThat(frames[0].payload()).isEmpty();
    }

    @Test
    void truncatedZlibStreamIsBadFrame() {
        byte[] z = Zlib.compress("hello hello hello".getBytes(StandardCharsets.UTF_8));
        byte[] cut = java.util.Arrays.copyOf(z, z.length - 3);
        assertBad(FrameEncoder.encodeRaw(MessageType.DATA, true, cut), ErrorCode.BAD_FRAME, "zlib");
    }

    @Test
    void framesBeforeABadOneAreReadFirst() throws Exception {
        byte[] msg = FrameEncoder.concat(FrameEncoder.encode(MessageType.HEARTBEAT, new byte[0]), new byte[] {9, 9});
        FrameReader r = new FrameReader(ByteBuffer.wrap(msg), MAX);
        assertThat(r.next().type()).isEqualTo(MessageType.HEARTBEAT);
        assertThatThrownBy(r::next).isInstanceOf(FrameException.class);
        assertThat(r.hasNext()).isFalse();
    }

    private static void assertBad(byte[] msg, ErrorCode code, String reasonPart) {
        assertThatThrownBy(() -> FrameReader.readAll(ByteBuffer.wrap(msg), MAX))
                .isInstanceOfSatisfying(FrameException.class, e -> assertThat(e.code()).isEqualTo(code))
                .hasMessageContaining(reasonPart);
    }
}
