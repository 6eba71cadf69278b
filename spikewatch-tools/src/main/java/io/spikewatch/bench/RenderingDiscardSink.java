package io.spikewatch.bench;

import io.spikewatch.replay.DocumentRenderer;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Renders every document to its JSON text, as the OpenSearch and file sinks do, then drops it: the
 * benchmark pays for serializing outputs but not for any I/O. Documents and characters are counted
 * in a static registry (the benchmark reads it in the same JVM) so the output is not dead code.
 */
public final class RenderingDiscardSink<T> implements Sink<T> {
    private static final Map<String, LongAdder[]> COUNTS = new ConcurrentHashMap<>();

    private final String name;
    private final DocumentRenderer<T> renderer;

    public RenderingDiscardSink(String name, DocumentRenderer<T> renderer) {
        this.name = name;
        this.renderer = renderer;
    }

    /** Documents rendered so far under {@code name}. */
    public static long documents(String name) {
        LongAdder[] c = COUNTS.get(name);
        return c == null ? 0 : c[0].sum();
    }

    public static void reset() {
        COUNTS.clear();
    }

    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<T> createWriter(InitContext context) {
        return new Writer();
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new Writer();
    }

    private final class Writer implements SinkWriter<T> {
        private final LongAdder[] counts = COUNTS.computeIfAbsent(name, n -> new LongAdder[] {new LongAdder(), new LongAdder()});

        @Override
        public void write(T element, Context context) {
            counts[0].increment();
            counts[1].add(renderer.render(element).length());
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
    }
}
