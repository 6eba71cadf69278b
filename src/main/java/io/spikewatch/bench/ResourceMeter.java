package io.spikewatch.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * Process CPU time, bytes allocated by all threads, and GC time over one benchmark run of an
 * in-JVM MiniCluster job.
 *
 * <p>CPU time is the whole process's (every Flink thread, JIT and GC included), so "events per
 * CPU-second" is the honest "per core" figure of a job that spreads over several threads even at
 * parallelism 1. Allocation is summed from HotSpot's per-thread counters; a sampler thread keeps the
 * last value seen for each thread, because Flink's task threads end with the job and their
 * counters go with them (at most one sampling interval of allocation is lost per ended thread).
 */
public final class ResourceMeter implements AutoCloseable {
    private static final long SAMPLE_MILLIS = 50;
    private static volatile ResourceMeter active;

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final Map<Long, Long> startAllocated = new HashMap<>();
    private final Map<Long, Long> lastAllocated = new HashMap<>();
    private final Thread sampler;
    private volatile boolean started;
    private volatile boolean running = true;
    private long startNanos;
    private long startCpu;
    private long startGcMillis;

    /** The figures of one run. */
    public record Usage(double wallSeconds, double cpuSeconds, long allocatedBytes, double gcSeconds) {}

    private ResourceMeter() {
        sampler = new Thread(this::sampleLoop, "spikewatch-bench-meter");
        sampler.setDaemon(true);
    }

    /** Arms a meter; it starts measuring at the first record ({@link #markStart()}). */
    public static ResourceMeter arm() {
        ResourceMeter m = new ResourceMeter();
        active = m;
        m.sampler.start();
        return m;
    }

    /** Called by the source on its first record. */
    static void markStart() {
        ResourceMeter m = active;
        if (m != null) m.begin();
    }

    private synchronized void begin() {
        if (started) return;
        for (long id : threads.getAllThreadIds()) {
            long bytes = threads.getThreadAllocatedBytes(id);
            if (bytes >= 0) startAllocated.put(id, bytes);
        }
        startGcMillis = gcMillis();
        startCpu = os.getProcessCpuTime();
        startNanos = System.nanoTime();
        started = true;
    }

    private void sampleLoop() {
        while (running) {
            if (started) sample();
            try {
                Thread.sleep(SAMPLE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void sample() {
        for (long id : threads.getAllThreadIds()) {
            long bytes = threads.getThreadAllocatedBytes(id);
            if (bytes >= 0) lastAllocated.put(id, bytes);
        }
    }

    /** Stops measuring; call right after the job's result arrived. */
    public synchronized Usage stop() {
        if (!started) throw new IllegalStateException("the benchmark source never produced a record");
        long wall = System.nanoTime() - startNanos;
        long cpu = os.getProcessCpuTime() - startCpu;
        long gc = gcMillis() - startGcMillis;
        sample();
        running = false;
        long allocated = 0;
        for (Map.Entry<Long, Long> e : lastAllocated.entrySet()) {
            allocated += e.getValue() - startAllocated.getOrDefault(e.getKey(), 0L);
        }
        // The sampler's own map updates are in the figure; they are a few KB per second.
        return new Usage(wall / 1e9, cpu / 1e9, allocated, gc / 1e3);
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
        if (active == this) active = null;
    }
}
