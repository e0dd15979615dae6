package qp.bench.limit;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import qp.broker.FreePorts;

/**
 * The environment one {@code bin/qp up} of the benchmark runs with: its own state dir, free loopback ports for every
 * listener, fresh tokens, the gateway's config file (QP_GATEWAY_ARGS) and the SLO (QP_SLO_P99, tuning phase only).
 * Every other QP_ variable of the benchmark's own environment is left out, so the stack runs with its defaults
 * (QP_JAVA_OPTS and QP_BUILD_DIR excepted: JVM options, and the one build the stacks share).
 */
public record StackEnv(Path stateDir, int kafkaPort, int kafkaControllerPort, int qpPort, int adminPort, int webUiPort,
        int dashboardPort, String token, String adminToken, Path gatewayConfig, String sloP99) {

    private static final List<String> INHERITED_QP_VARIABLES = List.of("QP_JAVA_OPTS", "QP_BUILD_DIR");

    /** New ports (none listening now, none handed out before by this JVM) and new tokens. */
    public static StackEnv fresh(Path stateDir, Path gatewayConfig, String sloP99) throws IOException {
        return new StackEnv(stateDir, FreePorts.pick(), FreePorts.pick(), FreePorts.pick(), FreePorts.pick(),
                FreePorts.pick(), FreePorts.pick(), secret(), secret(), gatewayConfig, sloP99);
    }

    public List<Integer> ports() {
        return List.of(kafkaPort, kafkaControllerPort, qpPort, adminPort, webUiPort, dashboardPort);
    }

    /** {@code inherited} (the benchmark's environment) without its QP_ variables, plus the stack's. */
    public Map<String, String> variables(Map<String, String> inherited) {
        Map<String, String> env = new LinkedHashMap<>();
        inherited.forEach((k, v) -> {
            if (!k.startsWith("QP_") || INHERITED_QP_VARIABLES.contains(k)) {
                env.put(k, v);
            }
        });
        env.put("QP_STATE_DIR", stateDir.toAbsolutePath().toString());
        env.put("QP_KAFKA_PORT", String.valueOf(kafkaPort));
        env.put("QP_KAFKA_CONTROLLER_PORT", String.valueOf(kafkaControllerPort));
        env.put("QP_PORT", String.valueOf(qpPort));
        env.put("QP_ADMIN_PORT", String.valueOf(adminPort));
        env.put("QP_WEB_UI_PORT", String.valueOf(webUiPort));
        env.put("QP_DASHBOARD_PORT", String.valueOf(dashboardPort));
        env.put("QP_TOKEN", token);
        env.put("QP_ADMIN_TOKEN", adminToken);
        env.put("QP_GATEWAY_ARGS", "--config " + gatewayConfig.toAbsolutePath());
        if (sloP99 != null) {
            env.put("QP_SLO_P99", sloP99);
        }
        return env;
    }

    private static String secret() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
