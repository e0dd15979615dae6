package qp.agent.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TrafficProfileTest {
    private final TrafficProfile base = new TrafficProfile(1000, 200,
            Map.of("COMMAND", 0.5, "ACK", 0.5));

    @Test
    void alikeTrafficIsNoChange() {
        assertThat(new TrafficProfile(1500, 260, Map.of("COMMAND", 0.45, "ACK", 0.55)).changeFrom(base)).isNull();
    }

    @Test
    void moreThanTwiceTheRateOrTheBytesOrAFifthOfTheMixIsAChange() {
        assertThat(new TrafficProfile(2100, 200, base.typeMix()).changeFrom(base)).startsWith("frame rate");
        assertThat(new TrafficProfile(400, 200, base.typeMix()).changeFrom(base)).startsWith("frame rate");
        assertThat(new TrafficProfile(1000, 450, base.typeMix()).changeFrom(base)).contains("bytes per frame");
        // 25% of frames moved from COMMAND/ACK to DATA: total variation distance 0.25
        assertThat(new TrafficProfile(1000, 200, Map.of("COMMAND", 0.375, "ACK", 0.375, "DATA", 0.25))
                .changeFrom(base)).startsWith("type mix moved by 25%");
    }

    @Test
    void itSurvivesTheStoreAsJson() {
        assertThat(TrafficProfile.parse(base.json())).isEqualTo(base);
        assertThat(TrafficProfile.parse("not json")).isNull();
    }
}
