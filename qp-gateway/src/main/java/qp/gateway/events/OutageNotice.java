package qp.gateway.events;

import java.util.function.Consumer;

/**
 * Says once that Kafka went away: not again until Kafka has acknowledged something since, so a topic that never
 * takes records does not warn at every probe.
 */
final class OutageNotice {
    private final Consumer<String> warnings;
    private final String bootstrapServers;
    /** acknowledgements at the last warning */
    private long acknowledgedAtLastWarning = -1;

    OutageNotice(Consumer<String> warnings, String bootstrapServers) {
        this.warnings = warnings;
        this.bootstrapServers = bootstrapServers;
    }

    void kafkaLost(boolean wasUp, long acknowledged, String reason, Spool spool) {
        if (wasUp && acknowledged != acknowledgedAtLastWarning) {
            acknowledgedAtLastWarning = acknowledged;
            warnings.accept("Kafka at " + bootstrapServers + " is unreachable (" + reason + "): events go to the"
                    + " spool in " + spool.location() + " until it returns (" + spool.count() + " spooled)");
        }
    }
}
