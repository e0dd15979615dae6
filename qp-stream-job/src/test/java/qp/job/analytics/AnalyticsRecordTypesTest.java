package qp.job.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import qp.protocol.analytics.Anomaly;
import qp.protocol.analytics.AnomalyKind;
import qp.protocol.analytics.BigramCount;
import qp.protocol.analytics.BigramWindow;
import qp.protocol.analytics.ExperimentStats;
import qp.protocol.analytics.Recommendation;
import qp.protocol.analytics.Severity;
import qp.protocol.analytics.TrendReport;
import qp.protocol.analytics.WindowStats;
import qp.protocol.analytics.WindowView;

/** The output records travel through Flink as POJOs: with generic types disabled, no field falls back to Kryo. */
class AnalyticsRecordTypesTest {

    @Test
    void everyOutputRecordRoundTripsThroughItsPojoSerializerWithoutKryo() throws Exception {
        roundTrip(WindowStats.class, new WindowStats("n1", "*", WindowView.TUMBLING, 0, 10_000, 5, 500, 0.5, 50, 1,
                0.2, 4, 10, 20, 30, 31, 100, 3, 104, 110, Map.of("AUTH", 1L, "COMMAND", 4L),
                Map.of("64-255", 5L), "AgAA"));
        roundTrip(Anomaly.class, new Anomaly("n1", "COMMAND", AnomalyKind.LATENCY_SPIKE, Severity.CRITICAL, 7.5,
                900, 100, 20, 160, 0, 10_000, "p95 900 us"));
        roundTrip(BigramWindow.class, new BigramWindow("n1", 0, 10_000, 3, 2,
                List.of(new BigramCount("AUTH", "ACK", "AUTH->ACK", 2, 0.66), new BigramCount("ACK", "COMMAND",
                        "ACK->COMMAND", 1, 0.33))));
        roundTrip(Recommendation.class, new Recommendation("rules-1", "n1", "compression_threshold", 0, 1024,
                0.7, 0.3, "bytes", "rules", "rules-v1", "compress-large-payloads", "p95 payload 8 KiB", 3, 10_000));
        roundTrip(TrendReport.class, new TrendReport("n1", 6, 0, 60_000, 100, 5, TrendReport.Trend.RISING, 900, -1,
                TrendReport.Trend.FLAT, 120, 300, Map.of("64-255", 5L)));
        roundTrip(ExperimentStats.class, new ExperimentStats("n1", "exp-1", 0, 10_000,
                List.of(new ExperimentStats.Cell("control", 3, "COMMAND", "IN", "small", 10, 700, 640, 2, 1, 8, 4_000)),
                List.of(new ExperimentStats.Latency("control", "COMMAND", "IN", "small", 8, 450, 900, 990)),
                List.of(new ExperimentStats.Units("control", 3, 2))));
    }

    static <T> void roundTrip(Class<T> type, T value) throws Exception {
        TypeInformation<T> info = TypeInformation.of(type);
        assertInstanceOf(PojoTypeInfo.class, info, type.getSimpleName() + " is not a POJO type: " + info);
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        TypeSerializer<T> serializer = info.createSerializer(config); // throws when any field would need Kryo
        DataOutputSerializer out = new DataOutputSerializer(128);
        serializer.serialize(value, out);
        T back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertEquals(value, back);
    }
}
