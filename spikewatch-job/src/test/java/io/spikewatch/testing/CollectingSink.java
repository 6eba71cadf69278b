package io.spikewatch.testing;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Collects everything it receives into a named, JVM-wide queue, so a MiniCluster test can read what
 * the job wrote (the MiniCluster runs in the test's JVM).
 */
public class CollectingSink<T> implements Sink<T> {
    private static final Map<String, ConcurrentLinkedQueue<Object>> QUEUES = new ConcurrentHashMap<>();
    private final String name;

    public CollectingSink(String name) {
        this.name = name;
        QUEUES.computeIfAbsent(name, n -> new ConcurrentLinkedQueue<>());
    }

    public static void clearAll() {
        QUEUES.values().forEach(ConcurrentLinkedQueue::clear);
    }

    @SuppressWarnings("unchecked")
    public static <T> List<T> values(String name) {
        return new ArrayList<>((ConcurrentLinkedQueue<T>) (ConcurrentLinkedQueue<?>) QUEUES.getOrDefault(name, new ConcurrentLinkedQueue<>()));
    }

    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<T> createWriter(InitContext context) {
        return writer();
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return writer();
    }

    private SinkWriter<T> writer() {
        ConcurrentLinkedQueue<Object> q = QUEUES.computeIfAbsent(name, n -> new ConcurrentLinkedQueue<>());
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context context) {
                q.add(element);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
