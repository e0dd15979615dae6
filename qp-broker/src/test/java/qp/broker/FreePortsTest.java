package qp.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {
    @Test
    void portsAreBelowTheEphemeralRangeDistinctAndBindable() throws Exception {
        int[] range = FreePorts.range(System.getenv("QP_TEST_PORTS")); // 20000-29999 unless set
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            int port = FreePorts.pick();
            assertThat(port).isBetween(range[0], range[1]);
            assertThat(ports.add(port)).as("handed out twice: %d", port).isTrue();
        }
        for (int port : ports) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(port));
                assertThat(s.getLocalPort()).isEqualTo(port);
            }
        }
    }

    @Test
    void aRangeIsLowDashHighWithinTheUnprivilegedPorts() {
        assertThat(FreePorts.range(null)).containsExactly(20000, 29999);
        assertThat(FreePorts.range(" 21000-21099 ")).containsExactly(21000, 21099);
        assertThatThrownBy(() -> FreePorts.range("21000")).hasMessageContaining("LOW-HIGH");
        assertThatThrownBy(() -> FreePorts.range("80-90")).hasMessageContaining("1024-65535");
        assertThatThrownBy(() -> FreePorts.range("30000-20000")).hasMessageContaining("1024-65535");
    }
}
