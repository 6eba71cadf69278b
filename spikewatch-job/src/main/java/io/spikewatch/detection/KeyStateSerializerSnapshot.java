package io.spikewatch.detection;

import org.apache.flink.api.common.typeutils.CompositeTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;

import java.io.IOException;

/**
 * What a checkpoint records about {@link KeyStateSerializer}: the version of its flat format (the
 * outer snapshot version) and the snapshots of its three nested serializers (Incident, Evidence,
 * WindowCounts[]), so that a field added to one of those POJOs is resolved by Flink's POJO schema
 * evolution on restore.
 *
 * <p>Compatibility on restore, with this snapshot as the new one:
 * <ul>
 *   <li>an older {@code KeyStateSerializerSnapshot}: as-is when its format version and nested
 *       serializers match, after migration when a nested POJO changed;
 *   <li>a {@code PojoSerializerSnapshot}: the state was written by Flink's PojoSerializer, before
 *       this serializer existed; compatible after migration, i.e. Flink reads every value with the
 *       restored PojoSerializer and writes it in the compact format (RocksDB rewrites the state on
 *       restore, the heap backend reads it with the old serializer anyway).
 * </ul>
 */
public final class KeyStateSerializerSnapshot extends CompositeTypeSerializerSnapshot<KeyState, KeyStateSerializer> {
    /** Version of the flat format written by {@link KeyStateSerializer}; bump it when that changes. */
    static final int FORMAT_VERSION = 1;

    private int restoredFormatVersion = FORMAT_VERSION;

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
        if (version < 1 || version > FORMAT_VERSION) {
            throw new IOException("KeyState format version " + version + " is unknown to this build (knows up to "
                    + FORMAT_VERSION + ")");
        }
        restoredFormatVersion = version;
    }

    @Override
    protected OuterSchemaCompatibility resolveOuterSchemaCompatibility(TypeSerializerSnapshot<KeyState> oldSnapshot) {
        if (!(oldSnapshot instanceof KeyStateSerializerSnapshot old)) return OuterSchemaCompatibility.INCOMPATIBLE;
        // Only version 1 exists. A version 2 must keep a reader for version 1 (restoreSerializer of
        // the old snapshot reads with it) and answer COMPATIBLE_AFTER_MIGRATION here for it.
        return old.restoredFormatVersion == FORMAT_VERSION
                ? OuterSchemaCompatibility.COMPATIBLE_AS_IS
                : OuterSchemaCompatibility.INCOMPATIBLE;
    }

    @Override
    public TypeSerializerSchemaCompatibility<KeyState> resolveSchemaCompatibility(TypeSerializerSnapshot<KeyState> oldSnapshot) {
        if (oldSnapshot instanceof PojoSerializerSnapshot) {
            // Written by Flink's PojoSerializer (before the compact format): read with it, rewrite.
            return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
        return super.resolveSchemaCompatibility(oldSnapshot);
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
