package io.spikewatch.detection;

import io.spikewatch.records.Evidence;

import io.spikewatch.records.CountryCodes;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.util.Objects;

/**
 * Compact serializer of {@link KeyState}, the per-(source, dimension, key) state of the detector.
 *
 * <p><b>Why hand-written.</b> There is one {@code KeyState} per tracked IP, millions of them, almost
 * all idle: two baselines, a country and nothing else. Flink's {@code PojoSerializer} writes a flags
 * byte per object and a null-marker byte per field, recursively, several times what an idle IP
 * needs; this format writes it in 21 bytes (29 once the IP has had client errors), which keeps the
 * keyed state per tracked IP small on RocksDB and in savepoints.
 *
 * <p><b>Format (version {@value KeyStateSerializerSnapshot#FORMAT_VERSION}).</b>
 * <pre>
 *   flags          1 byte: ALLOWLISTED, COUNTRY, REQUESTS, ERRORS, ERRORS_SAME_WINDOW, HOT,
 *                  ERRORS_SAME_WEIGHT (weight and windows), ERRORS_ZERO_SUMS
 *   requests       if REQUESTS: weight, sum, sumSquares (3 floats), windows (1 unsigned byte),
 *                  lastWindow (window varint)
 *   clientErrors   if ERRORS: weight and windows unless ERRORS_SAME_WEIGHT, sum and sumSquares
 *                  unless ERRORS_ZERO_SUMS, lastWindow unless ERRORS_SAME_WINDOW
 *   country        if COUNTRY: Flink's StringSerializer (length varint + chars; 3 bytes for "US")
 *   hot flags      if HOT: 1 byte: REQUESTS_INCIDENT, ERRORS_INCIDENT, EVIDENCE, OPEN_WINDOWS,
 *                  followed by each part present, in that order, written by Flink's own
 *                  serializers (PojoSerializer for Incident and Evidence, GenericArraySerializer of
 *                  PojoSerializer for WindowCounts[]).
 * </pre>
 * Every window close folds both baselines with the same window (see {@link KeyDetector#onWindowClose}
 * and {@link KeyState#lastClosedWindowEnd}), so their {@code lastWindow}, {@code weight} and
 * {@code windows} are normally equal, and an IP without client errors has zero error sums. None of this is assumed:
 * the flags are set only when the values are equal as {@code writeFloat} writes them (so -0f is
 * not 0f), and anything else is written out in full. A window varint is {@code 0} for {@link RollingBaseline#NONE} and otherwise
 * the zig-zag encoding of the window index plus one, as an unsigned LEB128 varint: 4 bytes for an
 * epoch-minute index of this century, and any {@code long} round-trips. Inconsistent or unknown
 * flags fail the read rather than misalign it.
 *
 * <p><b>Versioning.</b> The rare, hot-key-only parts go through nested Flink serializers whose
 * snapshots are recorded in {@link KeyStateSerializerSnapshot} (a {@code CompositeTypeSerializerSnapshot}):
 * adding a field to {@code Incident}, {@code Evidence}, {@code TopCounts} or {@code WindowCounts}
 * therefore evolves like any POJO (restore reports "compatible after migration" and Flink rewrites
 * the state). The flat part written here is versioned by the snapshot's outer version: a field
 * added to {@code KeyState} or {@code RollingBaseline} must be added here, with a new
 * {@code FORMAT_VERSION} ({@code KeyStateSerializerTest} fails when the classes gain a field this
 * serializer does not know).
 */
public final class KeyStateSerializer extends TypeSerializer<KeyState> {
    private static final long serialVersionUID = 1L;

    static final int ALLOWLISTED = 1;
    static final int COUNTRY = 1 << 1;
    static final int REQUESTS = 1 << 2;
    static final int ERRORS = 1 << 3;
    static final int ERRORS_SAME_WINDOW = 1 << 4;
    static final int HOT = 1 << 5;
    static final int ERRORS_SAME_WEIGHT = 1 << 6;
    static final int ERRORS_ZERO_SUMS = 1 << 7;

    static final int REQUESTS_INCIDENT = 1;
    static final int ERRORS_INCIDENT = 1 << 1;
    static final int EVIDENCE = 1 << 2;
    static final int OPEN_WINDOWS = 1 << 3;
    private static final int KNOWN_HOT_FLAGS = (OPEN_WINDOWS << 1) - 1;

    private final TypeSerializer<Incident> incidentSerializer;
    private final TypeSerializer<Evidence> evidenceSerializer;
    private final TypeSerializer<WindowCounts[]> openWindowsSerializer;

    public KeyStateSerializer(TypeSerializer<Incident> incidentSerializer, TypeSerializer<Evidence> evidenceSerializer,
                              TypeSerializer<WindowCounts[]> openWindowsSerializer) {
        this.incidentSerializer = Objects.requireNonNull(incidentSerializer);
        this.evidenceSerializer = Objects.requireNonNull(evidenceSerializer);
        this.openWindowsSerializer = Objects.requireNonNull(openWindowsSerializer);
    }

    TypeSerializer<Incident> incidentSerializer() {
        return incidentSerializer;
    }

    TypeSerializer<Evidence> evidenceSerializer() {
        return evidenceSerializer;
    }

    TypeSerializer<WindowCounts[]> openWindowsSerializer() {
        return openWindowsSerializer;
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<KeyState> duplicate() {
        TypeSerializer<Incident> incidents = incidentSerializer.duplicate();
        TypeSerializer<Evidence> evidence = evidenceSerializer.duplicate();
        TypeSerializer<WindowCounts[]> windows = openWindowsSerializer.duplicate();
        if (incidents == incidentSerializer && evidence == evidenceSerializer && windows == openWindowsSerializer) {
            return this;
        }
        return new KeyStateSerializer(incidents, evidence, windows);
    }

    @Override
    public KeyState createInstance() {
        return new KeyState();
    }

    /**
     * A deep copy: the heap backend keeps live objects and, while an asynchronous snapshot still
     * holds one, hands the job a copy of it (copy-on-write), so nothing mutable may be shared. Strings are immutable; {@code WindowCounts}' transient
     * expectation caches are left null in the copy and rebuilt from its fields on first use.
     */
    @Override
    public KeyState copy(KeyState from) {
        KeyState to = new KeyState();
        to.requests = copy(from.requests);
        to.clientErrors = copy(from.clientErrors);
        to.allowlisted = from.allowlisted;
        to.country = from.country;
        to.requestsIncident = from.requestsIncident == null ? null : incidentSerializer.copy(from.requestsIncident);
        to.errorsIncident = from.errorsIncident == null ? null : incidentSerializer.copy(from.errorsIncident);
        to.evidence = from.evidence == null ? null : evidenceSerializer.copy(from.evidence);
        to.openWindows = from.openWindows == null ? null : openWindowsSerializer.copy(from.openWindows);
        // The copy replaces the original under the same map entry (copy-on-write), so the same key.
        to.heapKey = from.heapKey;
        return to;
    }

    private static RollingBaseline copy(RollingBaseline from) {
        if (from == null) return null;
        RollingBaseline to = new RollingBaseline();
        to.weight = from.weight;
        to.sum = from.sum;
        to.sumSquares = from.sumSquares;
        to.lastWindow = from.lastWindow;
        to.windows = from.windows;
        return to;
    }

    @Override
    public KeyState copy(KeyState from, KeyState reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(KeyState s, DataOutputView out) throws IOException {
        int hot = (s.requestsIncident != null ? REQUESTS_INCIDENT : 0)
                | (s.errorsIncident != null ? ERRORS_INCIDENT : 0)
                | (s.evidence != null ? EVIDENCE : 0)
                | (s.openWindows != null ? OPEN_WINDOWS : 0);
        boolean both = s.requests != null && s.clientErrors != null;
        boolean sameWindow = both && s.requests.lastWindow == s.clientErrors.lastWindow;
        boolean sameWeight = both && sameBits(s.requests.weight, s.clientErrors.weight)
                && s.requests.windows == s.clientErrors.windows;
        boolean zeroSums = s.clientErrors != null && sameBits(s.clientErrors.sum, 0f) && sameBits(s.clientErrors.sumSquares, 0f);
        int flags = (s.allowlisted ? ALLOWLISTED : 0)
                | (s.country != null ? COUNTRY : 0)
                | (s.requests != null ? REQUESTS : 0)
                | (s.clientErrors != null ? ERRORS : 0)
                | (sameWindow ? ERRORS_SAME_WINDOW : 0)
                | (hot != 0 ? HOT : 0)
                | (sameWeight ? ERRORS_SAME_WEIGHT : 0)
                | (zeroSums ? ERRORS_ZERO_SUMS : 0);
        out.writeByte(flags);
        if (s.requests != null) {
            writeSums(s.requests, out);
            writeWindow(s.requests.lastWindow, out);
        }
        if (s.clientErrors != null) {
            if (!sameWeight) {
                out.writeFloat(s.clientErrors.weight);
                writeWindowCount(s.clientErrors.windows, out);
            }
            if (!zeroSums) {
                out.writeFloat(s.clientErrors.sum);
                out.writeFloat(s.clientErrors.sumSquares);
            }
            if (!sameWindow) writeWindow(s.clientErrors.lastWindow, out);
        }
        if (s.country != null) StringSerializer.INSTANCE.serialize(s.country, out);
        if (hot == 0) return;
        out.writeByte(hot);
        if (s.requestsIncident != null) incidentSerializer.serialize(s.requestsIncident, out);
        if (s.errorsIncident != null) incidentSerializer.serialize(s.errorsIncident, out);
        if (s.evidence != null) evidenceSerializer.serialize(s.evidence, out);
        if (s.openWindows != null) openWindowsSerializer.serialize(s.openWindows, out);
    }

    @Override
    public KeyState deserialize(DataInputView in) throws IOException {
        int flags = in.readUnsignedByte();
        KeyState s = new KeyState();
        s.allowlisted = (flags & ALLOWLISTED) != 0;
        if ((flags & REQUESTS) != 0) {
            s.requests = readSums(in);
            s.requests.lastWindow = readWindow(in);
        }
        int shared = flags & (ERRORS_SAME_WEIGHT | ERRORS_SAME_WINDOW);
        if ((flags & ERRORS) != 0) {
            if (shared != 0 && s.requests == null) throw new IOException("corrupt KeyState: shared fields without requests");
            RollingBaseline e = new RollingBaseline();
            if ((flags & ERRORS_SAME_WEIGHT) != 0) {
                e.weight = s.requests.weight;
                e.windows = s.requests.windows;
            } else {
                e.weight = in.readFloat();
                e.windows = (short) in.readUnsignedByte();
            }
            if ((flags & ERRORS_ZERO_SUMS) == 0) {
                e.sum = in.readFloat();
                e.sumSquares = in.readFloat();
            }
            e.lastWindow = (flags & ERRORS_SAME_WINDOW) != 0 ? s.requests.lastWindow : readWindow(in);
            s.clientErrors = e;
        } else if ((flags & (ERRORS_SAME_WEIGHT | ERRORS_SAME_WINDOW | ERRORS_ZERO_SUMS)) != 0) {
            throw new IOException("corrupt KeyState: flags " + flags + " without an errors baseline");
        }
        // The shared string, as the shuffle hands out: not a copy per key read from RocksDB.
        if ((flags & COUNTRY) != 0) s.country = CountryCodes.shared(StringSerializer.INSTANCE.deserialize(in));
        if ((flags & HOT) == 0) return s;
        int hot = in.readUnsignedByte();
        if ((hot & ~KNOWN_HOT_FLAGS) != 0) throw new IOException("corrupt KeyState: unknown hot flags " + hot);
        if ((hot & REQUESTS_INCIDENT) != 0) s.requestsIncident = incidentSerializer.deserialize(in);
        if ((hot & ERRORS_INCIDENT) != 0) s.errorsIncident = incidentSerializer.deserialize(in);
        if ((hot & EVIDENCE) != 0) s.evidence = evidenceSerializer.deserialize(in);
        if ((hot & OPEN_WINDOWS) != 0) s.openWindows = openWindowsSerializer.deserialize(in);
        return s;
    }

    @Override
    public KeyState deserialize(KeyState reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    /** Used for network copies, never on the per-event state path: a plain read and write suffices. */
    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    private static void writeSums(RollingBaseline b, DataOutputView out) throws IOException {
        out.writeFloat(b.weight);
        out.writeFloat(b.sum);
        out.writeFloat(b.sumSquares);
        writeWindowCount(b.windows, out);
    }

    /** One unsigned byte; a count outside 0..255 cannot come from {@link RollingBaseline} and fails the write. */
    private static void writeWindowCount(short windows, DataOutputView out) throws IOException {
        if (windows < 0 || windows > RollingBaseline.MAX_WINDOWS) {
            throw new IOException("RollingBaseline.windows out of range: " + windows);
        }
        out.writeByte(windows);
    }

    /**
     * Equal as {@code writeFloat} writes them ({@code floatToIntBits}: -0f differs from 0f, NaNs
     * are one NaN), so a shared value reads back exactly as the written one would have.
     */
    private static boolean sameBits(float a, float b) {
        return Float.floatToIntBits(a) == Float.floatToIntBits(b);
    }

    private static RollingBaseline readSums(DataInputView in) throws IOException {
        RollingBaseline b = new RollingBaseline();
        b.weight = in.readFloat();
        b.sum = in.readFloat();
        b.sumSquares = in.readFloat();
        b.windows = (short) in.readUnsignedByte();
        return b;
    }

    /** See the class comment: 0 for NONE, else zig-zag(window) + 1, unsigned LEB128. */
    static void writeWindow(long window, DataOutputView out) throws IOException {
        long v = window == RollingBaseline.NONE ? 0 : ((window << 1) ^ (window >> 63)) + 1;
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    static long readWindow(DataInputView in) throws IOException {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            if (shift > 63) throw new IOException("corrupt KeyState: window varint too long");
            int b = in.readUnsignedByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) break;
        }
        if (v == 0) return RollingBaseline.NONE;
        long zigzag = v - 1;
        return (zigzag >>> 1) ^ -(zigzag & 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyStateSerializer other
                && incidentSerializer.equals(other.incidentSerializer)
                && evidenceSerializer.equals(other.evidenceSerializer)
                && openWindowsSerializer.equals(other.openWindowsSerializer);
    }

    @Override
    public int hashCode() {
        return Objects.hash(incidentSerializer, evidenceSerializer, openWindowsSerializer);
    }

    @Override
    public TypeSerializerSnapshot<KeyState> snapshotConfiguration() {
        return new KeyStateSerializerSnapshot(this);
    }
}
