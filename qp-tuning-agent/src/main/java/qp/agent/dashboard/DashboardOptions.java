package qp.agent.dashboard;

import java.time.Duration;

/**
 * How the dashboard is served.
 *
 * @param host          interface to listen on
 * @param port          HTTP port (0 = any free port); the agent's {@code --dashboard-port}, default {@value #DEFAULT_PORT}
 * @param token         the admin token an operator enters once; controls always need it
 * @param publicRead    reading without the token ({@code --dashboard-public-read}); controls still need it
 * @param refresh       how often the store is read for changes that are pushed to the open pages
 * @param chartWindow   how much history the charts show
 * @param calibrationMinOutcomes the agent's {@code --calibration-min-outcomes}: whether the page says the confidence
 *                      gate calibrates a source yet
 */
public record DashboardOptions(String host, int port, String token, boolean publicRead, Duration refresh,
        Duration chartWindow, int calibrationMinOutcomes) {
    public static final int DEFAULT_PORT = 8090;

    /** With the agent's default {@code --calibration-min-outcomes}. */
    public DashboardOptions(String host, int port, String token, boolean publicRead, Duration refresh,
            Duration chartWindow) {
        this(host, port, token, publicRead, refresh, chartWindow,
                qp.agent.config.AgentOptions.CALIBRATION_MIN_OUTCOMES.defaultValue());
    }

    public DashboardOptions {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the dashboard needs the admin token: its controls are refused without it");
        }
    }

    public static DashboardOptions defaults(String token) {
        return new DashboardOptions("0.0.0.0", DEFAULT_PORT, token, false, Duration.ofSeconds(1), Duration.ofMinutes(15));
    }

    public DashboardOptions withPort(int p) {
        return new DashboardOptions(host, p, token, publicRead, refresh, chartWindow, calibrationMinOutcomes);
    }

    public DashboardOptions withHost(String h) {
        return new DashboardOptions(h, port, token, publicRead, refresh, chartWindow, calibrationMinOutcomes);
    }

    public DashboardOptions withPublicRead(boolean p) {
        return new DashboardOptions(host, port, token, p, refresh, chartWindow, calibrationMinOutcomes);
    }
}
