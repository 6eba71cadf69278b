package io.spikewatch.bench;

import io.spikewatch.records.RawRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pre-generated log lines held in memory and served to a job as a FLIP-27 source, so a benchmark
 * measures the pipeline and not the generator, gzip or the file system.
 *
 * <p>The lines live in a static registry and the source's generator function only carries the
 * registry name: this works because the benchmark jobs run on a MiniCluster in the same JVM
 * (nothing is copied into the job graph). Index 0 calls {@link ResourceMeter#markStart()}, so the
 * measurement starts at the first record, after job deployment.
 */
public final class InMemoryRecords {
    private static final Map<String, byte[][]> DATA = new ConcurrentHashMap<>();

    private InMemoryRecords() {}

    public static void register(String name, byte[][] lines) {
        DATA.put(name, lines);
    }

    public static void release(String name) {
        DATA.remove(name);
    }

    public static int size(String name) {
        return lines(name).length;
    }

    private static byte[][] lines(String name) {
        byte[][] lines = DATA.get(name);
        if (lines == null) throw new IllegalStateException("no in-memory records named " + name);
        return lines;
    }

    /** One {@link RawRecord} per line, as undecoded bytes (the Kinesis path). */
    public static DataGeneratorSource<RawRecord> rawRecords(String name) {
        GeneratorFunction<Long, RawRecord> next = new GeneratorFunction<>() {
            private transient byte[][] lines;

            @Override
            public RawRecord map(Long index) {
                if (lines == null) lines = lines(name);
                int i = index.intValue();
                if (i == 0) ResourceMeter.markStart();
                return new RawRecord(name, lines[i], 0L);
            }
        };
        return new DataGeneratorSource<>(next, size(name), TypeInformation.of(RawRecord.class));
    }

    /** The same lines as plain byte arrays, for the Flink SQL peer's JSON / raw formats. */
    public static DataGeneratorSource<byte[]> bytes(String name) {
        GeneratorFunction<Long, byte[]> next = new GeneratorFunction<>() {
            private transient byte[][] lines;

            @Override
            public byte[] map(Long index) {
                if (lines == null) lines = lines(name);
                int i = index.intValue();
                if (i == 0) ResourceMeter.markStart();
                return lines[i];
            }
        };
        return new DataGeneratorSource<>(next, size(name), PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
    }
}
