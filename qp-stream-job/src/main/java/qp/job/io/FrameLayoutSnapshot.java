package qp.job.io;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The snapshot of a serializer that writes frames in one of the {@link FrameEventSerializer} layouts. Builds before
 * the experiment fields used Flink's {@code SimpleTypeSerializerSnapshot} under the same class name: its version 3
 * wrote nothing, and stands for {@link FrameEventSerializer#LAYOUT_WITHOUT_EXPERIMENT}. From version 4 the layout is
 * written, so a later field needs a new layout, not a new snapshot format.
 *
 * <p>A state written in an older layout restores with a serializer of that layout and is "compatible after
 * migration": Flink reads it with the old serializer and writes it again with the current one.
 */
abstract class FrameLayoutSnapshot<T> implements TypeSerializerSnapshot<T> {
    /** The version of Flink's SimpleTypeSerializerSnapshot, which the builds before the layouts wrote. */
    static final int SIMPLE_SNAPSHOT_VERSION = 3;
    static final int VERSION = 4;

    private int layout;

    FrameLayoutSnapshot(int layout) {
        this.layout = layout;
    }

    int layout() {
        return layout;
    }

    /** The serializer that reads and writes {@code layout}. */
    abstract TypeSerializer<T> serializerFor(int layout);

    @Override
    public int getCurrentVersion() {
        return VERSION;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
        out.writeInt(layout);
    }

    @Override
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader userCodeClassLoader) throws IOException {
        if (readVersion == SIMPLE_SNAPSHOT_VERSION) {
            layout = FrameEventSerializer.LAYOUT_WITHOUT_EXPERIMENT;
        } else if (readVersion == VERSION) {
            layout = FrameEventSerializer.checkLayout(in.readInt());
        } else {
            throw new IOException(getClass().getName() + ": snapshot version " + readVersion + " is unknown (this build "
                    + "reads " + SIMPLE_SNAPSHOT_VERSION + " and " + VERSION + "); was the state written by a newer build?");
        }
    }

    @Override
    public TypeSerializer<T> restoreSerializer() {
        return serializerFor(layout);
    }

    @Override
    public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> oldSnapshot) {
        if (oldSnapshot == null || oldSnapshot.getClass() != getClass()) {
            return TypeSerializerSchemaCompatibility.incompatible();
        }
        int oldLayout = ((FrameLayoutSnapshot<T>) oldSnapshot).layout;
        if (oldLayout == layout) {
            return TypeSerializerSchemaCompatibility.compatibleAsIs();
        }
        // an older layout is read by its own serializer and written again in this one; a newer one is a downgrade
        return oldLayout < layout
                ? TypeSerializerSchemaCompatibility.compatibleAfterMigration()
                : TypeSerializerSchemaCompatibility.incompatible();
    }
}
