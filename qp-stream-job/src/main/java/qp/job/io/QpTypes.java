package qp.job.io;

import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import qp.protocol.control.ControlCommand;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;

/** The Flink type information of the job's inputs: POJO serializers or our own, never Kryo. */
public final class QpTypes {
    private QpTypes() {
    }

    /** Field by field: frames cross several keyed exchanges, see {@link FrameEventSerializer}. */
    public static final TypeInformation<FrameEvent> FRAME =
            new SerializerTypeInfo<>(FrameEvent.class, FrameEventSerializer.INSTANCE, "FrameEvent(field by field)");
    public static final TypeInformation<NodeMetrics> NODE_METRICS = TypeInformation.of(NodeMetrics.class);
    public static final TypeInformation<DeadLetter> DEAD_LETTER = TypeInformation.of(DeadLetter.class);
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static final TypeInformation<Decoded<FrameEvent>> DECODED_FRAME = (TypeInformation) Types.POJO(Decoded.class,
            Map.of("value", FRAME, "deadLetter", DEAD_LETTER));
    public static final TypeInformation<Decoded<NodeMetrics>> DECODED_NODE_METRICS =
            TypeInformation.of(new TypeHint<Decoded<NodeMetrics>>() { });
    public static final TypeInformation<ControlCommand> CONTROL = TypeInformation.of(ControlCommand.class);
    public static final TypeInformation<Decoded<ControlCommand>> DECODED_CONTROL =
            TypeInformation.of(new TypeHint<Decoded<ControlCommand>>() { });
}
