package qp.job.io;

import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
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
    /** The frame source's output, copied to the chained decode step without reflection: {@link DecodedFrameSerializer}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static final TypeInformation<Decoded<FrameEvent>> DECODED_FRAME = new SerializerTypeInfo(Decoded.class,
            DecodedFrameSerializer.INSTANCE, "Decoded<FrameEvent>(frame or dead letter)");
    public static final TypeInformation<Decoded<NodeMetrics>> DECODED_NODE_METRICS =
            TypeInformation.of(new TypeHint<Decoded<NodeMetrics>>() { });
    public static final TypeInformation<ControlCommand> CONTROL = TypeInformation.of(ControlCommand.class);
    public static final TypeInformation<Decoded<ControlCommand>> DECODED_CONTROL =
            TypeInformation.of(new TypeHint<Decoded<ControlCommand>>() { });
}
