package qp.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.junit.jupiter.api.Test;
import qp.job.config.JobConfig;
import qp.job.io.KafkaSinks;
import qp.job.io.KafkaSources;

/**
 * The whole job's graph, configured as {@link JobMain} and the tests' {@link JobHarness} configure it, builds every
 * serializer without Kryo; and in that configuration a type that would fall back to Kryo fails the build of the graph,
 * so a new edge type of the generic kind cannot slip in.
 */
class QpJobGraphTest {
    private static final JobConfig CONFIG = JobConfig.parse(new String[] {"--bootstrap-servers", "localhost:1",
            "--checkpoint-dir", "file:///tmp/qp-graph-test", "--parallelism", "2"});

    private static StreamExecutionEnvironment job() {
        StreamExecutionEnvironment env = QpJob.configure(StreamExecutionEnvironment.getExecutionEnvironment(), CONFIG);
        QpJob.of(CONFIG, new KafkaSources(CONFIG), new KafkaSinks(CONFIG)).addTo(env);
        return env;
    }

    /** Not a POJO (no setters, no public fields, no no-arg constructor), so only Kryo could serialize it. */
    static final class Opaque {
        private final int value;

        Opaque(int value) {
            this.value = value;
        }
    }

    @Test
    void theWholeJobBuildsWithGenericTypesDisabled() {
        StreamExecutionEnvironment env = job();
        assertThat(env.getConfig().getSerializerConfig().hasGenericTypesDisabled()).isTrue();
        StreamGraph g = env.getStreamGraph(); // creates every edge's serializer: a Kryo fallback would throw here
        assertThat(g.getStreamNodes()).isNotEmpty();
    }

    @Test
    void aTypeThatWouldFallBackToKryoFailsTheBuild() {
        StreamExecutionEnvironment env = job();
        env.fromData(List.of(1), Types.INT).map(Opaque::new).returns(TypeInformation.of(Opaque.class))
                .sinkTo(new DiscardingSink<>());
        assertThatThrownBy(env::getStreamGraph).hasStackTraceContaining("Generic types have been disabled");
    }
}
