package io.spikewatch.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Process CPU time, bytes allocated by all threads, and GC time over one benchmark run of an
 * in-JVM MiniCluster job.
 *
 * <p>CPU time is the whole process's (every Flink thread, JIT and GC included), so "events per
 * CPU-second" is the honest "per core" figure of a job that spreads over several threads even at
 * parallelism 1 — less this meter's own sampler thread, whose reads of {@code /proc} and of the
 * thread counters (20 times a second) are the benchmark's cost, not the job's, and would inflate
 * the "other" threads' CPU and the allocation. Allocation is summed from HotSpot's per-thread counters; a sampler thread keeps the
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
    private long startSamplerCpu;

    private static final Path TASKS = Path.of("/proc/self/task");
    private static final String SAMPLER_NAME = "spikewatch-bench-meter";
    /** The sampler's name as Linux keeps it: the first 15 characters. */
    private static final String SAMPLER_COMM = SAMPLER_NAME.substring(0, 15);
    private static final double TICKS_PER_SECOND = 100; // USER_HZ on Linux
    private final Map<String, long[]> startTicks = new HashMap<>();
    private final Map<String, long[]> lastTicks = new HashMap<>();

    /**
     * The figures of one run. {@code cpuSecondsByGroup}: CPU seconds per thread group, largest
     * first; empty where {@code /proc} is not available.
     */
    public record Usage(double wallSeconds, double cpuSeconds, long allocatedBytes, double gcSeconds,
                        Map<String, Double> cpuSecondsByGroup) {
        public Usage(double wallSeconds, double cpuSeconds, long allocatedBytes, double gcSeconds) {
            this(wallSeconds, cpuSeconds, allocatedBytes, gcSeconds, Map.of());
        }

        /**
         * The group's share of the CPU time the groups account for (0 when it had none), or null
         * when no per-thread figures were read.
         */
        public Double share(String group) {
            double total = cpuSecondsByGroup.values().stream().mapToDouble(Double::doubleValue).sum();
            if (total <= 0) return null;
            return cpuSecondsByGroup.getOrDefault(group, 0.0) / total;
        }

        /** "source chain 61%, ip detector 22%, ..." of the CPU time the groups account for. */
        public String cpuSplit() {
            double total = cpuSecondsByGroup.values().stream().mapToDouble(Double::doubleValue).sum();
            if (total <= 0) return "";
            StringBuilder b = new StringBuilder();
            for (Map.Entry<String, Double> e : cpuSecondsByGroup.entrySet()) {
                if (b.length() > 0) b.append(", ");
                b.append(e.getKey()).append(' ').append(Math.round(100 * e.getValue() / total)).append('%');
            }
            return b.toString();
        }
    }

    private ResourceMeter() {
        sampler = new Thread(this::sampleLoop, SAMPLER_NAME);
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
        readTicks(startTicks);
        startGcMillis = gcMillis();
        startSamplerCpu = samplerCpu();
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
        readTicks(lastTicks);
    }

    /** Key "tid group" (the tid has no space) → {CPU ticks so far}. */
    private static void readTicks(Map<String, long[]> into) {
        if (!Files.isDirectory(TASKS)) return;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    // "tid (comm) state ..." where comm may contain spaces and parentheses.
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String[] f = stat.substring(close + 2).split(" ");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime
                    String comm = stat.substring(open + 1, close);
                    if (comm.equals(SAMPLER_COMM)) continue; // the meter's own, see above
                    into.put(task.getFileName() + " " + group(comm), new long[] {ticks});
                } catch (IOException | RuntimeException e) {
                    // The thread ended while being read.
                }
            }
        } catch (IOException e) {
            // No per-thread figures on this platform.
        }
    }

    /** The group of a thread by its (15-character) Linux name. */
    static String group(String comm) {
        if (comm.startsWith("Source: ")) return "source chain";
        if (comm.startsWith("IP rates")) return "ip detector";
        if (comm.startsWith("Country/scope")) return "country/scope detector";
        if (comm.contains("sink") || comm.contains("Sink")) return "sinks";
        if (comm.startsWith("GC Thread") || comm.startsWith("G1 ")) return "GC";
        if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) return "JIT compiler";
        if (comm.contains("Window") || comm.contains("Aggregat")) return "SQL window aggregates";
        return "other";
    }

    /** Stops measuring; call right after the job's result arrived. */
    public synchronized Usage stop() {
        if (!started) throw new IllegalStateException("the benchmark source never produced a record");
        long wall = System.nanoTime() - startNanos;
        long cpu = os.getProcessCpuTime() - startCpu - (samplerCpu() - startSamplerCpu);
        long gc = gcMillis() - startGcMillis;
        sample();
        running = false;
        long allocated = 0;
        for (Map.Entry<Long, Long> e : lastAllocated.entrySet()) {
            if (e.getKey() == sampler.getId()) continue; // the meter's own, see above
            allocated += e.getValue() - startAllocated.getOrDefault(e.getKey(), 0L);
        }
        Map<String, Double> byGroup = new TreeMap<>();
        for (Map.Entry<String, long[]> e : lastTicks.entrySet()) {
            long[] start = startTicks.get(e.getKey());
            long ticks = e.getValue()[0] - (start == null ? 0 : start[0]);
            String group = e.getKey().substring(e.getKey().indexOf(' ') + 1);
            if (ticks > 0) byGroup.merge(group, ticks / TICKS_PER_SECOND, Double::sum);
        }
        Map<String, Double> sorted = new LinkedHashMap<>();
        byGroup.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return new Usage(wall / 1e9, cpu / 1e9, allocated, gc / 1e3, sorted);
    }

    /** CPU nanoseconds of the sampler thread so far (0 where the JVM does not measure them). */
    private long samplerCpu() {
        return Math.max(0, threads.getThreadCpuTime(sampler.getId()));
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
