package io.spikewatch.detection;

import io.spikewatch.records.Evidence;

import org.apache.flink.api.common.typeutils.CompositeTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;

import java.io.IOException;

/**
 * What a checkpoint records about {@link KeyStateSerializer}: the version of its flat format (the
 * outer snapshot version) and the snapshots of its three nested serializers (Incident, Evidence,
 * WindowCounts[]), so that a field added to one of those POJOs is resolved by Flink's POJO schema
 * evolution on restore. A snapshot of this class with the same format version restores as-is, after
 * migration when a nested POJO changed; anything else is incompatible.
 */
public final class KeyStateSerializerSnapshot extends CompositeTypeSerializerSnapshot<KeyState, KeyStateSerializer> {
    /** Version of the flat format written by {@link KeyStateSerializer}; bump it when that changes. */
    static final int FORMAT_VERSION = 1;

    /** For Flink, which instantiates the snapshot reflectively before {@link #readSnapshot}. */
    public KeyStateSerializerSnapshot() {}

    KeyStateSerializerSnapshot(KeyStateSerializer serializer) {
        super(serializer);
    }

    @Override
    protected int getCurrentOuterSnapshotVersion() {
        return FORMAT_VERSION;
    }

    @Override
    protected void readOuterSnapshot(int version, DataInputView in, ClassLoader classLoader) throws IOException {
        if (version != FORMAT_VERSION) {
            throw new IOException("KeyState format version " + version + " is unknown to this build (knows "
                    + FORMAT_VERSION + ")");
        }
    }

    @Override
    protected OuterSchemaCompatibility resolveOuterSchemaCompatibility(TypeSerializerSnapshot<KeyState> oldSnapshot) {
        // readOuterSnapshot accepts only the current format version.
        return oldSnapshot instanceof KeyStateSerializerSnapshot
                ? OuterSchemaCompatibility.COMPATIBLE_AS_IS
                : OuterSchemaCompatibility.INCOMPATIBLE;
    }

    @Override
    protected TypeSerializer<?>[] getNestedSerializers(KeyStateSerializer outer) {
        return new TypeSerializer<?>[] {outer.incidentSerializer(), outer.evidenceSerializer(), outer.openWindowsSerializer()};
    }

    @Override
    @SuppressWarnings("unchecked")
    protected KeyStateSerializer createOuterSerializerWithNestedSerializers(TypeSerializer<?>[] nested) {
        return new KeyStateSerializer((TypeSerializer<Incident>) nested[0], (TypeSerializer<Evidence>) nested[1],
                (TypeSerializer<WindowCounts[]>) nested[2]);
    }
}
