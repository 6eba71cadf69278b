package io.spikewatch.detection;

import io.spikewatch.records.Evidence;
import io.spikewatch.records.TopCounts;

import io.spikewatch.records.CountryCodes;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The compact KeyState serializer: Flink's own serializer contract ({@link SerializerTestBase}:
 * copies, sequences, serialized copies, snapshot and restore, duplicate across threads), then what
 * spikewatch relies on: every kind of state a key goes through round-trips, copies are deep, the
 * type extraction picks it up without Kryo, and an idle IP costs the bytes the format promises.
 */
class KeyStateSerializerTest extends SerializerTestBase<KeyState> {
    private static final long MINUTE_INDEX = 29_800_000L; // an epoch-minute index of late 2026
    private static final double DECAY = RollingBaseline.decayForHalfLife(30);

    KeyStateSerializerTest() {
        super(new DeeplyEqualsChecker().withCustomCheck(
                (a, b) -> a instanceof KeyState && b instanceof KeyState,
                (a, b, checker) -> sameState((KeyState) a, (KeyState) b)));
    }

    // ---- SerializerTestBase -------------------------------------------------------------------

    @Override
    protected TypeSerializer<KeyState> createSerializer() {
        return serializer();
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<KeyState> getTypeClass() {
        return KeyState.class;
    }

    @Override
    protected KeyState[] getTestData() {
        return new KeyState[] {fresh(), idle("US"), idleWithErrors(), allowlisted(), hot(), errorsOnAnotherWindow(),
                unusualFloats(), errorsWithAnotherWindowCount(), warmedUp(), new KeyState()};
    }

    @Override
    protected void deepEquals(String message, KeyState should, KeyState is) {
        assertSameState(message, should, is);
    }

    /**
     * Field by field, floats and doubles exactly; WindowCounts' transient expectation caches are not
     * state (a copy or a restored window rebuilds them from its fields).
     */
    private static void assertSameState(String message, KeyState expected, KeyState actual) {
        assertThat(actual).as(message).usingRecursiveComparison()
                .ignoringFieldsMatchingRegexes(".*\\.(requests|errors)Expected")
                .withComparatorForType(Float::compare, Float.class)
                .withComparatorForType(Double::compare, Double.class)
                .isEqualTo(expected);
    }

    private static boolean sameState(KeyState a, KeyState b) {
        try {
            assertSameState("", a, b);
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }

    // ---- fixtures -----------------------------------------------------------------------------

    private static KeyStateSerializer serializer() {
        return (KeyStateSerializer) new KeyStateTypeInfo().createSerializer(new SerializerConfigImpl());
    }

    /** A key in its first window: no window folded yet, both baselines at NONE. */
    private static KeyState fresh() {
        return KeyState.fresh();
    }

    /** A quiet IP after its only window closed: what millions of tracked IPs look like. */
    private static KeyState idle(String country) {
        KeyState s = KeyState.fresh();
        s.requests.fold(MINUTE_INDEX, 1, DECAY);
        s.clientErrors.fold(MINUTE_INDEX, 0, DECAY);
        s.country = country;
        return s;
    }

    /** A quiet IP whose one window had client errors: its error sums are not zero. */
    private static KeyState idleWithErrors() {
        KeyState s = KeyState.fresh();
        s.requests.fold(MINUTE_INDEX, 3, DECAY);
        s.clientErrors.fold(MINUTE_INDEX, 2, DECAY);
        s.country = "BR";
        return s;
    }

    /** Values the shared-field flags must not fold away: a -0f sum, a NaN weight next to a number. */
    private static KeyState unusualFloats() {
        KeyState s = idle("JP");
        s.clientErrors.sum = -0f;
        s.clientErrors.weight = Float.NaN;
        return s;
    }

    /** Same weight bits, different window counts: the errors baseline must not share the requests' count. */
    private static KeyState errorsWithAnotherWindowCount() {
        KeyState s = idle("FR");
        s.clientErrors.windows = 3;
        return s;
    }

    /** A key with a saturated window count (the byte is unsigned: 255 must not read back as -1). */
    private static KeyState warmedUp() {
        KeyState s = idle("SE");
        for (int m = 1; m < 300; m++) {
            s.requests.fold(MINUTE_INDEX + m, 10, DECAY);
            s.clientErrors.fold(MINUTE_INDEX + m, 0, DECAY);
        }
        return s;
    }

    private static KeyState allowlisted() {
        KeyState s = idle(null);
        s.allowlisted = true;
        for (int m = 1; m < 20; m++) {
            s.requests.fold(MINUTE_INDEX + m, 40 + m, DECAY);
            s.clientErrors.fold(MINUTE_INDEX + m, m % 3, DECAY);
        }
        return s;
    }

    /** A flooding key: both incidents, evidence, and two open windows, one with IP registers. */
    private static KeyState hot() {
        KeyState s = idle("CN");
        s.requestsIncident = incident("a-1", "high");
        s.errorsIncident = incident("a-2", "medium");
        Evidence e = Evidence.empty();
        e.uris.add("/login", 120);
        e.userAgents.add("curl/8.0", 120);
        e.rules.add("RateLimit", 30);
        e.requests = 120;
        e.blocked = 30;
        e.sampleRequestIds[0] = "r-1";
        e.sampleCount = 1;
        s.evidence = e;
        WindowCounts w1 = window((MINUTE_INDEX + 1) * 60_000);
        w1.uniqueIps = new byte[UniqueCountSketch.REGISTERS];
        w1.uniqueIps[7] = 3;
        w1.setExpected(Signal.REQUESTS, new BaselineEstimate(1.5, 2.25, 3));
        w1.expected(Signal.REQUESTS); // fills the transient cache, which must not leak into copies
        s.addOpenWindow(w1);
        s.addOpenWindow(window((MINUTE_INDEX + 2) * 60_000));
        return s;
    }

    private static KeyState errorsOnAnotherWindow() {
        KeyState s = idle("DE");
        s.requests.fold(MINUTE_INDEX + 5, 3, DECAY);
        return s;
    }

    private static Incident incident(String id, String severity) {
        Incident i = new Incident();
        i.alertId = id;
        i.severity = severity;
        i.firstSeen = 1_790_000_000_000L;
        i.lastSeen = i.firstSeen + 59_000;
        i.firstWindowStart = MINUTE_INDEX * 60_000;
        i.lastWindowStart = i.firstWindowStart;
        i.observed = 150;
        i.peak = 150;
        i.threshold = 42.5;
        i.score = 9.1;
        i.ratio = 25;
        i.baselineMean = 6;
        i.baselineStddev = 2.4;
        i.spikeWindows = 1;
        return i;
    }

    private static WindowCounts window(long start) {
        WindowCounts w = new WindowCounts();
        w.windowStart = start;
        w.total = 150;
        w.blocked = 30;
        w.clientErrors = 12;
        w.firstEventTime = start + 5;
        w.lastEventTime = start + 59_000;
        return w;
    }

    private static byte[] bytes(TypeSerializer<KeyState> serializer, KeyState s) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(s, out);
        return out.getCopyOfBuffer();
    }

    private static KeyState read(TypeSerializer<KeyState> serializer, byte[] bytes) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        KeyState s = serializer.deserialize(in);
        assertThat(in.available()).as("trailing bytes").isZero();
        return s;
    }

    // ---- round trips and copies ---------------------------------------------------------------

    @Test
    void everyKindOfStateRoundTripsThroughBytesAndCopy() throws IOException {
        KeyStateSerializer serializer = serializer();
        for (KeyState s : getTestData()) {
            deepEquals("bytes", s, read(serializer, bytes(serializer, s)));
            deepEquals("copy", s, serializer.copy(s));
            DataOutputSerializer copied = new DataOutputSerializer(64);
            serializer.copy(new DataInputDeserializer(bytes(serializer, s)), copied);
            assertThat(copied.getCopyOfBuffer()).isEqualTo(bytes(serializer, s));
        }
    }

    @Test
    void aCountryReadBackIsTheSharedString() throws IOException {
        KeyState s = idle(new String("BR".toCharArray()));
        assertThat(read(serializer(), bytes(serializer(), s)).country).isSameAs(CountryCodes.of('B', 'R'));
    }

    @Test
    void hotStateKeepsItsRareParts() throws IOException {
        KeyState back = read(serializer(), bytes(serializer(), hot()));
        assertThat(back.requestsIncident.alertId).isEqualTo("a-1");
        assertThat(back.errorsIncident.severity).isEqualTo("medium");
        assertThat(back.evidence.uris.top(1)).extracting(TopCounts.Entry::value).containsExactly("/login");
        assertThat(back.openWindows).hasSize(2);
        assertThat(back.openWindows[0].uniqueIps[7]).isEqualTo((byte) 3);
        assertThat(back.openWindows[0].expected(Signal.REQUESTS).mean()).isEqualTo(1.5);
        assertThat(back.openWindows[1].uniqueIps).isNull();
    }

    @ParameterizedTest
    @ValueSource(longs = {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, 0, 1, 63, 64, MINUTE_INDEX, Long.MAX_VALUE - 1, Long.MAX_VALUE})
    void anyLastWindowRoundTripsOnEitherBaseline(long window) throws IOException {
        KeyState s = idle("US");
        s.requests.lastWindow = window;
        s.clientErrors.lastWindow = window == 0 ? 1 : 0;
        KeyState back = read(serializer(), bytes(serializer(), s));
        assertThat(back.requests.lastWindow).isEqualTo(window);
        assertThat(back.clientErrors.lastWindow).isEqualTo(s.clientErrors.lastWindow);
        s.clientErrors.lastWindow = window;
        assertThat(read(serializer(), bytes(serializer(), s)).clientErrors.lastWindow).isEqualTo(window);
    }

    @Test
    void noneIsOneByteAndAnEpochMinuteFourBytes() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(16);
        KeyStateSerializer.writeWindow(RollingBaseline.NONE, out);
        assertThat(out.length()).isEqualTo(1);
        out.clear();
        KeyStateSerializer.writeWindow(MINUTE_INDEX, out);
        assertThat(out.length()).isEqualTo(4);
    }

    @Test
    void copyIsDeep() {
        KeyState original = hot();
        KeyState copy = serializer().copy(original);
        copy.requests.fold(MINUTE_INDEX + 3, 500, DECAY);
        copy.clientErrors.sum = 99;
        copy.requestsIncident.observed = 1;
        copy.evidence.uris.add("/other", 1_000);
        copy.evidence.sampleRequestIds[1] = "r-2";
        copy.openWindows[0].total = 1;
        copy.openWindows[0].uniqueIps[7] = 9;
        copy.removeOpenWindow(copy.openWindows[1].windowStart);

        deepEquals("original untouched by changes to its copy", hot(), original);
        assertThat(copy.openWindows[0].expected(Signal.REQUESTS).mean()).isEqualTo(1.5);
    }

    @Test
    void aCopyKeepsTheHeapKeyObjectAndBytesNeverCarryIt() throws IOException {
        // The heap backend puts the copy under the same map entry (copy-on-write): same key object.
        KeyState original = hot();
        original.heapKey = new String("203.0.113.9");
        KeyStateSerializer serializer = serializer();
        assertThat(serializer.copy(original).heapKey).isSameAs(original.heapKey);
        assertThat(serializer.deserialize(new DataInputDeserializer(bytes(serializer, original))).heapKey).isNull();
    }

    @Test
    void unknownOrInconsistentFlagsFailTheReadInsteadOfMisaligningIt() {
        byte hotWithUnknownPart = (byte) 0x80;
        assertThatThrownBy(() -> read(serializer(), new byte[] {KeyStateSerializer.HOT, hotWithUnknownPart}))
                .isInstanceOf(IOException.class);
        byte errorsSharingWithoutRequests = (byte) (KeyStateSerializer.ERRORS | KeyStateSerializer.ERRORS_SAME_WEIGHT);
        assertThatThrownBy(() -> read(serializer(), new byte[] {errorsSharingWithoutRequests, 0, 0, 0, 0, 0, 0, 0, 0, 0}))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> read(serializer(), new byte[] {(byte) KeyStateSerializer.ERRORS_ZERO_SUMS}))
                .isInstanceOf(IOException.class);
    }

    @Test
    void unusualFloatsKeepTheirExactBits() throws IOException {
        KeyState back = read(serializer(), bytes(serializer(), unusualFloats()));
        assertThat(Float.floatToRawIntBits(back.clientErrors.sum)).isEqualTo(Float.floatToRawIntBits(-0f));
        assertThat(back.clientErrors.weight).isNaN();
        assertThat(back.requests.weight).isEqualTo(1f);
    }

    // ---- size ---------------------------------------------------------------------------------

    /**
     * An idle IP: 1 flags byte + the requests baseline (3 floats, 1 window-count byte, 4-byte
     * lastWindow varint for an epoch minute) + the country (length byte + 2 chars) = 21 bytes; its
     * errors baseline shares weight, window count and lastWindow, and its sums are zero. With
     * client errors, + 2 floats.
     */
    @Test
    void anIdleIpCosts21Bytes() throws IOException {
        assertThat(bytes(serializer(), idle("US"))).hasSizeLessThanOrEqualTo(21);
        assertThat(bytes(serializer(), idleWithErrors())).hasSizeLessThanOrEqualTo(29);
        assertThat(read(serializer(), bytes(serializer(), warmedUp())).requests.windows)
                .isEqualTo((short) RollingBaseline.MAX_WINDOWS);
    }

    @Test
    void aWindowCountOutsideOneByteFailsTheWrite() {
        KeyState s = idle("US");
        s.requests.windows = 256;
        assertThatThrownBy(() -> bytes(serializer(), s)).isInstanceOf(IOException.class).hasMessageContaining("windows");
    }

    // ---- type extraction ----------------------------------------------------------------------

    @Test
    void typeExtractionUsesTheCompactSerializerWithoutKryo() {
        assertThat(TypeInformation.of(KeyState.class)).isInstanceOf(KeyStateTypeInfo.class);

        // The state descriptor of SpikeDetectionOperator, resolved as the runtime does.
        ValueStateDescriptor<KeyState> descriptor = new ValueStateDescriptor<>("key-state", KeyState.class);
        ExecutionConfig config = new ExecutionConfig();
        config.getSerializerConfig().setGenericTypes(false); // any Kryo fallback would now throw
        descriptor.initializeSerializerUnlessSet(config);
        assertThat(descriptor.getSerializer()).isInstanceOf(KeyStateSerializer.class);
        assertThat(descriptor.getSerializer()).isEqualTo(serializer());
    }

    /** Another engineer adding a field must not have it silently dropped from state. */
    @Test
    void theSerializerKnowsEveryStateField() {
        assertThat(stateFields(KeyState.class)).containsExactlyInAnyOrder("requests", "clientErrors", "allowlisted",
                "country", "requestsIncident", "errorsIncident", "evidence", "openWindows");
        assertThat(stateFields(RollingBaseline.class)).containsExactlyInAnyOrder("weight", "sum", "sumSquares", "lastWindow", "windows");
    }

    private static List<String> stateFields(Class<?> type) {
        return Arrays.stream(type.getDeclaredFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()) && !Modifier.isTransient(f.getModifiers()))
                .map(Field::getName).toList();
    }

    // ---- snapshots and evolution --------------------------------------------------------------

    @Test
    void snapshotRestoresAnEqualSerializerCompatibleAsIs() throws IOException {
        KeyStateSerializer serializer = serializer();
        TypeSerializerSnapshot<KeyState> restored = writeAndReadSnapshot(serializer.snapshotConfiguration());

        assertThat(restored).isInstanceOf(KeyStateSerializerSnapshot.class);
        assertThat(restored.restoreSerializer()).isEqualTo(serializer);
        assertThat(serializer.snapshotConfiguration().resolveSchemaCompatibility(restored).isCompatibleAsIs()).isTrue();
        assertThat(serializer.duplicate()).isEqualTo(serializer);
        KeyState hot = hot();
        deepEquals("read by the restored serializer", hot, read(restored.restoreSerializer(), bytes(serializer, hot)));
    }

    private static TypeSerializerSnapshot<KeyState> writeAndReadSnapshot(TypeSerializerSnapshot<KeyState> snapshot)
            throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        return TypeSerializerSnapshot.readVersionedSnapshot(new DataInputDeserializer(out.getCopyOfBuffer()),
                KeyStateSerializerTest.class.getClassLoader());
    }
}
