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
