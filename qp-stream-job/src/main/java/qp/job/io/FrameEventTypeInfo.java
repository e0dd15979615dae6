package qp.job.io;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import qp.protocol.events.FrameEvent;

/** Flink type information of {@link FrameEvent} with the field-by-field {@link FrameEventSerializer}. */
public final class FrameEventTypeInfo extends TypeInformation<FrameEvent> {
    private static final long serialVersionUID = 1L;
    public static final FrameEventTypeInfo INSTANCE = new FrameEventTypeInfo();

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<FrameEvent> getTypeClass() {
        return FrameEvent.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<FrameEvent> createSerializer(SerializerConfig config) {
        return FrameEventSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "FrameEvent(field by field)";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof FrameEventTypeInfo;
    }

    @Override
    public int hashCode() {
        return FrameEventTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof FrameEventTypeInfo;
    }
}
