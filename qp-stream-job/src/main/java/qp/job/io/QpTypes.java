package qp.job.io;

import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;

/** The Flink type information of the job's inputs: POJO serializers, no Kryo. */
public final class QpTypes {
    private QpTypes() {
    }

    public static final TypeInformation<FrameEvent> FRAME = TypeInformation.of(FrameEvent.class);
    public static final TypeInformation<NodeMetrics> NODE_METRICS = TypeInformation.of(NodeMetrics.class);
    public static final TypeInformation<DeadLetter> DEAD_LETTER = TypeInformation.of(DeadLetter.class);
    public static final TypeInformation<Decoded<FrameEvent>> DECODED_FRAME =
            TypeInformation.of(new TypeHint<Decoded<FrameEvent>>() { });
    public static final TypeInformation<Decoded<NodeMetrics>> DECODED_NODE_METRICS =
            TypeInformation.of(new TypeHint<Decoded<NodeMetrics>>() { });
}
