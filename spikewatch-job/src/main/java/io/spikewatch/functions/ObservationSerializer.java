package io.spikewatch.functions;

import io.spikewatch.detection.Dimension;
import io.spikewatch.detection.Observation;
import io.spikewatch.detection.SerializerTypeInfo;
import io.spikewatch.records.CountryCodes;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Serializer of the keyed shuffle's record, {@link Observation}: one per request on the ip path.
 *
 * <p>Why not Flink's POJO serializer, which handles {@code Observation} correctly (the
 * {@code SerializationTest} keeps proving it): on the hot path it reads and writes each of the 16
 * fields by reflection, boxing every primitive, and writes a null marker per field, which is
 * measurable per event on the hot path. This one writes the fields directly: a header byte (dimension and which optional fields follow),
 * the key, the first event time, the other numbers as variable-length integers (an ip observation's
 * counts are all 0 or 1), then the optional parts. A one-request ip observation is ~40 bytes plus
 * its evidence sample.
 *
 * <p>Text (the key, country and resource) is written as a length and one byte per character when
 * it is ASCII, as IPs, country codes and ARNs are, and otherwise in Flink's {@code StringValue}
 * format behind a marker. Flink's format reads a variable-length code per character through a
 * thread-local buffer; here an ASCII string is one bulk read and a Latin-1 {@code String}, and a
 * country code is the shared {@link CountryCodes} string, not a new string per request.
 *
 * <p>Used only between operators (never in state), so a format change needs no migration; the
 * snapshot exists because Flink asks every serializer for one.
 */
public final class ObservationSerializer extends TypeSerializerSingleton<Observation> {
    private static final long serialVersionUID = 1L;
    public static final ObservationSerializer INSTANCE = new ObservationSerializer();

    private static final Dimension[] DIMENSIONS = Dimension.values();
    private static final int HAS_COUNTRY = 1 << 2;
    private static final int HAS_RESOURCE = 1 << 3;
    private static final int HAS_IP_HASHES = 1 << 4;
    private static final int HAS_SAMPLES = 1 << 5;
    private static final int DIMENSION_MASK = 0b11;
    /**
     * Longest text written in the ASCII form (longer text takes the other form), so that a corrupt
     * length fails the read instead of allocating.
     */
    static final int MAX_TEXT_BYTES = 1 << 20;

    static {
        if (DIMENSIONS.length > DIMENSION_MASK + 1) throw new IllegalStateException("dimension bits too few");
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public Observation createInstance() {
        return new Observation();
    }

    @Override
    public Observation copy(Observation from) {
        Observation o = new Observation();
        o.dimension = from.dimension;
        o.key = from.key;
        o.firstEventTime = from.firstEventTime;
        o.lastEventTime = from.lastEventTime;
        o.total = from.total;
        o.blocked = from.blocked;
        o.clientErrors = from.clientErrors;
        o.serverErrors = from.serverErrors;
        o.allowlisted = from.allowlisted;
        o.allowlistedClientErrors = from.allowlistedClientErrors;
        o.country = from.country;
        o.resource = from.resource;
        o.ipHashes = from.ipHashes == null ? null : from.ipHashes.clone();
        o.ipHashCount = from.ipHashCount;
        o.samples = from.samples == null ? null : from.samples.clone();
        o.sampleCount = from.sampleCount;
        return o;
    }

    @Override
    public Observation copy(Observation from, Observation reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(Observation o, DataOutputView out) throws IOException {
        int header = o.dimension.ordinal();
        if (o.country != null) header |= HAS_COUNTRY;
        if (o.resource != null) header |= HAS_RESOURCE;
        if (o.ipHashes != null) header |= HAS_IP_HASHES;
        if (o.samples != null) header |= HAS_SAMPLES;
        out.writeByte(header);
        writeText(o.key, out);
        out.writeLong(o.firstEventTime);
        writeVarLong(out, zigZag(o.lastEventTime - o.firstEventTime));
        writeVarInt(out, o.total);
        writeVarInt(out, o.blocked);
        writeVarInt(out, o.clientErrors);
        writeVarInt(out, o.serverErrors);
        writeVarInt(out, o.allowlisted);
        writeVarInt(out, o.allowlistedClientErrors);
        if (o.country != null) writeText(o.country, out);
        if (o.resource != null) writeText(o.resource, out);
        if (o.ipHashes != null) {
            // Only the hashes in use (the array may have spare capacity); the count is implied.
            int n = Math.min(o.ipHashCount, o.ipHashes.length);
            writeVarInt(out, n);
            for (int i = 0; i < n; i++) out.writeLong(o.ipHashes[i]);
        }
        if (o.samples != null) {
            writeVarInt(out, o.samples.length);
            out.write(o.samples);
            writeVarInt(out, o.sampleCount);
        }
    }

    @Override
    public Observation deserialize(DataInputView in) throws IOException {
        Observation o = new Observation();
        int header = in.readUnsignedByte();
        int dim = header & DIMENSION_MASK;
        if (dim >= DIMENSIONS.length) throw new IOException("corrupt observation: dimension " + dim);
        o.dimension = DIMENSIONS[dim];
        o.key = readText(in);
        o.firstEventTime = in.readLong();
        o.lastEventTime = o.firstEventTime + unZigZag(readVarLong(in));
        o.total = readVarInt(in);
        o.blocked = readVarInt(in);
        o.clientErrors = readVarInt(in);
        o.serverErrors = readVarInt(in);
        o.allowlisted = readVarInt(in);
        o.allowlistedClientErrors = readVarInt(in);
        if ((header & HAS_COUNTRY) != 0) o.country = readText(in);
        if ((header & HAS_RESOURCE) != 0) o.resource = readText(in);
        if ((header & HAS_IP_HASHES) != 0) {
            int n = readVarInt(in);
            long[] hashes = new long[n];
            for (int i = 0; i < n; i++) hashes[i] = in.readLong();
            o.ipHashes = hashes;
            o.ipHashCount = n;
        }
        if ((header & HAS_SAMPLES) != 0) {
            byte[] samples = new byte[readVarInt(in)];
            in.readFully(samples);
            o.samples = samples;
            o.sampleCount = readVarInt(in);
        }
        return o;
    }

    @Override
    public Observation deserialize(Observation reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<Observation> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Stateless serializer: the snapshot only names the class. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Observation> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    // ---- text ---------------------------------------------------------------------------------

    /** Marker (in place of an ASCII length) for text in Flink's {@code StringValue} format. */
    private static final int NOT_ASCII = 1;

    /**
     * ASCII text of up to {@link #MAX_TEXT_BYTES}: a variable-length {@code length << 1} and one
     * byte per character; anything else: {@link #NOT_ASCII} and {@code StringValue}'s format (which
     * handles every char, lone surrogates too, and any length).
     */
    static void writeText(String s, DataOutputView out) throws IOException {
        int n = s.length();
        boolean ascii = n <= MAX_TEXT_BYTES;
        for (int i = 0; i < n && ascii; i++) ascii = s.charAt(i) < 0x80;
        if (!ascii) {
            writeVarInt(out, NOT_ASCII);
            StringValue.writeString(s, out);
            return;
        }
        writeVarInt(out, n << 1);
        for (int i = 0; i < n; i++) out.writeByte(s.charAt(i));
    }

    static String readText(DataInputView in) throws IOException {
        int head = readVarInt(in);
        if (head == NOT_ASCII) {
            String s = StringValue.readString(in);
            if (s == null) throw new IOException("corrupt observation: null text");
            return s;
        }
        if ((head & 1) != 0) throw new IOException("corrupt observation: text marker " + head);
        int n = head >>> 1;
        if (n == 2) {
            // A country code (two capitals) is read without an array and handed out shared.
            int a = in.readUnsignedByte();
            int b = in.readUnsignedByte();
            String code = CountryCodes.ofUpperCase(a, b);
            return code != null ? code : ascii(new byte[] {(byte) a, (byte) b});
        }
        if (n > MAX_TEXT_BYTES) throw new IOException("corrupt observation: text of " + n + " bytes");
        byte[] bytes = new byte[n];
        in.readFully(bytes);
        return ascii(bytes);
    }

    private static String ascii(byte[] bytes) throws IOException {
        for (byte x : bytes) {
            if (x < 0) throw new IOException("corrupt observation: non-ASCII byte in ASCII text");
        }
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    // ---- variable-length integers (7 bits per byte, low group first) -----------------------

    static void writeVarInt(DataOutputView out, int v) throws IOException {
        if (v < 0) throw new IOException("negative count " + v);
        while ((v & ~0x7F) != 0) {
            out.writeByte((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.writeByte(v);
    }

    static int readVarInt(DataInputView in) throws IOException {
        int v = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (v < 0) throw new IOException("corrupt observation: negative count");
                return v;
            }
        }
        throw new IOException("corrupt observation: variable-length integer too long");
    }

    static void writeVarLong(DataOutputView out, long v) throws IOException {
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    static long readVarLong(DataInputView in) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return v;
        }
        throw new IOException("corrupt observation: variable-length integer too long");
    }

    private static long zigZag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unZigZag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    /** Type information that makes Flink use {@link ObservationSerializer}. */
    public static final class TypeInfo extends SerializerTypeInfo<Observation> {
        private static final long serialVersionUID = 1L;
        public static final TypeInfo INSTANCE = new TypeInfo();

        private TypeInfo() {
            super(Observation.class);
        }

        @Override
        public TypeSerializer<Observation> createSerializer(SerializerConfig config) {
            return ObservationSerializer.INSTANCE;
        }
    }

    @Override
    public String toString() {
        return "ObservationSerializer";
    }
}
