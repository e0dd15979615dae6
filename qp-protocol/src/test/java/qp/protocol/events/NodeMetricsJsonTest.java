package qp.protocol.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import qp.protocol.json.QpJson;
import qp.protocol.params.TunableParams;

/**
 * The node sample's JSON stays compatible both ways now that it names the running experiment's parameter and values:
 * a sample without experiment is written byte for byte as before, an older reader ignores the new fields, and this
 * reader reads an older gateway's samples with the new fields null. The "before" JSON was written by the build
 * before the fields (7c4cd1f), not derived from this one.
 */
class NodeMetricsJsonTest {
    /** 7c4cd1f's JSON of a sample without experiment. */
    static final String BEFORE_WITHOUT_EXPERIMENT = "{\"nodeId\":\"edge-1\",\"timestampMillis\":1700000000000,"
            + "\"framesInPerSec\":12.5,\"framesOutPerSec\":12.0,\"bytesInPerSec\":1500.0,\"bytesOutPerSec\":1400.0,"
            + "\"processCpuLoad\":0.25,\"heapUsedBytes\":100000000,\"heapMaxBytes\":1073741824,\"connections\":3,"
            + "\"heartbeatTimeouts\":0,\"heartbeatTimeoutsTotal\":0,\"paramVersion\":7,\"params\":{\"bufferSizeBytes\":8192,"
            + "\"heartbeatIntervalMs\":30000,\"compressionThresholdBytes\":0,\"maxConnections\":100,"
            + "\"maxFrameBytes\":1048576},\"instanceId\":\"i-1\",\"advertisedAdminUrl\":null,\"experimentId\":null,"
            + "\"arm\":null}";
    /** 7c4cd1f's JSON of a sample while a session experiment ran: the id, nothing about what it changes. */
    static final String BEFORE_WITH_EXPERIMENT = BEFORE_WITHOUT_EXPERIMENT
            .replace("\"experimentId\":null", "\"experimentId\":\"ct-off-1024\"");

    /** NodeMetrics as 7c4cd1f declared it: an older reader. */
    record OlderNodeMetrics(String nodeId, long timestampMillis, double framesInPerSec, double framesOutPerSec,
            double bytesInPerSec, double bytesOutPerSec, double processCpuLoad, long heapUsedBytes, long heapMaxBytes,
            int connections, long heartbeatTimeouts, long heartbeatTimeoutsTotal, long paramVersion,
            TunableParams params, String instanceId, String advertisedAdminUrl, String experimentId, String arm) {
    }

    static NodeMetrics sample(String experimentId, String parameter, Long control, Long treatment) {
        return new NodeMetrics("edge-1", 1_700_000_000_000L, 12.5, 12.0, 1500, 1400, 0.25, 100_000_000L, 1L << 30, 3, 0,
                0, 7, TunableParams.defaults(), "i-1", null, experimentId, null, parameter, control, treatment);
    }

    @Test
    void aSampleWithoutExperimentIsWrittenAsTheBuildBeforeWroteIt() {
        assertThat(QpJson.string(sample(null, null, null, null))).isEqualTo(BEFORE_WITHOUT_EXPERIMENT);
    }

    @Test
    void aSampleOfTheBuildBeforeReadsWithTheNewFieldsNull() throws Exception {
        assertThat(read(BEFORE_WITH_EXPERIMENT, NodeMetrics.class)).isEqualTo(sample("ct-off-1024", null, null, null));
        assertThat(read(BEFORE_WITHOUT_EXPERIMENT, NodeMetrics.class)).isEqualTo(sample(null, null, null, null));
    }

    @Test
    void aSampleUnderAnExperimentNamesItsParameterAndValuesAndAnOlderReaderIgnoresThem() throws Exception {
        NodeMetrics m = sample("ct-off-1024", "compression_threshold", 0L, 1024L);
        String json = QpJson.string(m);

        assertThat(json).isEqualTo(BEFORE_WITH_EXPERIMENT.replace("\"arm\":null}",
                "\"arm\":null,\"experimentParameter\":\"compression_threshold\",\"controlValue\":0,"
                        + "\"treatmentValue\":1024}"));
        assertThat(read(json, NodeMetrics.class)).isEqualTo(m);
        assertThat(read(json, OlderNodeMetrics.class)).isEqualTo(read(BEFORE_WITH_EXPERIMENT, OlderNodeMetrics.class));
    }

    private static <T> T read(String json, Class<T> type) throws Exception {
        return QpJson.read(json.getBytes(StandardCharsets.UTF_8), type);
    }
}
