package qp.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import qp.protocol.frame.Zlib;
import qp.protocol.json.QpJson;

/** The payloads are what the phases say: compressible ones shrink a lot under zlib, bulky ones hardly. */
class TrafficMixTest {
    private final TrafficMix mix = new TrafficMix(20261130L);
    private final SplittableRandom random = new SplittableRandom(1);

    @Test
    void bulkyEchoArgsAre128To256KiBOfBase64ThatZlibShrinksOnlyToAboutThreeQuarters() {
        for (int i = 0; i < 20; i++) {
            byte[] args = QpJson.bytes(mix.bulkyArgs(random));
            assertThat(args.length).isBetween(TrafficMix.BULKY_MIN_BYTES, TrafficMix.BULKY_MAX_BYTES + 64);
            double ratio = (double) Zlib.compress(args).length / args.length;
            assertThat(ratio).isBetween(0.74, 0.78);
        }
    }

    @Test
    void compressiblePayloadsShrinkToAFifthOrLess() {
        for (int i = 0; i < 20; i++) {
            byte[] args = QpJson.bytes(mix.largeArgs(random));
            assertThat((double) Zlib.compress(args).length / args.length).isLessThan(0.2);
            byte[] data = mix.largeData(random);
            assertThat((double) Zlib.compress(data).length / data.length).isLessThan(0.2);
        }
    }

    @Test
    void mediumEchoArgsAre1To4KiBAndShrinkToAThirdOrLess() {
        for (int i = 0; i < 40; i++) {
            byte[] args = QpJson.bytes(mix.mediumArgs(random));
            assertThat(args.length).isBetween(TrafficMix.MEDIUM_MIN_BYTES, TrafficMix.MEDIUM_MAX_BYTES);
            assertThat((double) Zlib.compress(args).length / args.length).isLessThan(0.34);
        }
    }

    /**
     * What the phase is for: the payloads of 4 KiB and more (the threshold compress-large-payloads proposes for it)
     * are under a quarter of the frames, yet the medium echoes' replies, all under 4 KiB, carry a large share of the
     * bytes the node sends back, which only a lower threshold compresses. Counted here from the requests picked and
     * their payloads (each echo's reply is its args; a DATA's reply is a small ACK, not counted).
     */
    @Test
    void inTheCompressiblePhaseMediumRepliesUnder4KiBCarryAboutFortyPercentOfTheBytesSentBack() {
        long sentUnder4k = 0;
        long sent = 0;
        int frames = 0;
        int largeFrames = 0;
        for (int i = 0; i < 20_000; i++) {
            TrafficMix.Kind k = mix.pick(Phase.COMPRESSIBLE, random);
            long reply = switch (k) {
                case ECHO_LARGE -> QpJson.bytes(mix.largeArgs(random)).length;
                case ECHO_MEDIUM -> QpJson.bytes(mix.mediumArgs(random)).length;
                case ECHO -> QpJson.bytes(mix.smallArgs(random)).length;
                default -> 0;
            };
            sent += reply;
            sentUnder4k += reply < 4096 ? reply : 0;
            frames += 2; // request and reply
            largeFrames += k == TrafficMix.Kind.ECHO_LARGE ? 2 : k == TrafficMix.Kind.DATA_LARGE ? 1 : 0;
        }
        assertThat((double) sentUnder4k / sent).isBetween(0.3, 0.5);
        assertThat((double) largeFrames / frames).isBetween(0.1, 0.25);
    }

    @Test
    void theBulkyPhaseIsMostlyBulkyEchoes() {
        int bulky = 0;
        for (int i = 0; i < 10_000; i++) {
            bulky += mix.pick(Phase.BULKY, random) == TrafficMix.Kind.ECHO_BULKY ? 1 : 0;
        }
        assertThat(bulky).isBetween(7_500, 8_500);
        assertThat(new String(QpJson.bytes(mix.bulkyArgs(random)), StandardCharsets.US_ASCII))
                .matches("\\{\"blob\":\"[A-Za-z0-9+/=]+\",\"n\":\\d\\}");
    }
}
