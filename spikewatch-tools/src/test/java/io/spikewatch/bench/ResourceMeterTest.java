package io.spikewatch.bench;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-thread CPU split the benchmark uses to decide when the JIT has settled. */
class ResourceMeterTest {
    @Test
    void linuxThreadNamesFallIntoTheirGroups() {
        assertThat(ResourceMeter.group("Source: In-memo")).isEqualTo("source chain");
        assertThat(ResourceMeter.group("GlobalWindowAgg")).isEqualTo("SQL window aggregates");
        assertThat(ResourceMeter.group("IP rates, basel")).isEqualTo("ip detector");
        assertThat(ResourceMeter.group("Country/scope r")).isEqualTo("country/scope detector");
        assertThat(ResourceMeter.group("C2 CompilerThre")).isEqualTo("JIT compiler");
        assertThat(ResourceMeter.group("C1 CompilerThre")).isEqualTo("JIT compiler");
        assertThat(ResourceMeter.group("GC Thread#1")).isEqualTo("GC");
        assertThat(ResourceMeter.group("G1 Conc#0")).isEqualTo("GC");
        assertThat(ResourceMeter.group("Rates sink (1/1")).isEqualTo("sinks");
        assertThat(ResourceMeter.group("main")).isEqualTo("other");
    }

    @Test
    void sharesAreOfTheGroupedTimeAndAbsentWithoutPerThreadFigures() {
        Map<String, Double> groups = new LinkedHashMap<>();
        groups.put("source chain", 3.0);
        groups.put("JIT compiler", 1.0);
        ResourceMeter.Usage u = new ResourceMeter.Usage(2, 4, 0, 0, groups);
        assertThat(u.share("JIT compiler")).isEqualTo(0.25);
        assertThat(u.share("GC")).isZero();
        assertThat(u.cpuSplit()).isEqualTo("source chain 75%, JIT compiler 25%");
        assertThat(new ResourceMeter.Usage(2, 4, 0, 0).share("JIT compiler")).isNull();
    }

    @Test
    void aRunOnLinuxReportsTheThreadsThatDidTheWork() throws Exception {
        if (!java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self/task"))) return;
        ResourceMeter.Usage u = meterOneThread(() -> spinFor(300_000_000L)); // clock ticks are 10 ms
        assertThat(u.cpuSecondsByGroup()).containsKey("source chain");
    }

    /**
     * The meter's sampler reads every thread's {@code /proc} entry and counters 20 times a second:
     * that is the benchmark's cost, so neither its allocation nor its CPU may count as the job's.
     * Here the only work is a thread that spins without allocating, so the bytes counted are what
     * the rest of this JVM (compiler threads, the test framework) allocated meanwhile, far below
     * what a second of sampling allocates.
     */
    @Test
    void theMetersOwnSamplingIsNotCounted() throws Exception {
        if (!java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self/task"))) return;
        ResourceMeter.Usage u = meterOneThread(() -> spinFor(1_000_000_000L));
        // Measured on the 2-core machine: ~0.6 MB counted, ~6.9 MB when the sampler's own was.
        assertThat(u.allocatedBytes()).isLessThan(3_000_000L);
    }

    /** Meters a run of {@code work} on a thread named like the benchmark's source chain. */
    private static ResourceMeter.Usage meterOneThread(Runnable work) throws InterruptedException {
        try (ResourceMeter m = ResourceMeter.arm()) {
            ResourceMeter.markStart();
            Thread worker = new Thread(work, "Source: spin");
            worker.start();
            worker.join();
            return m.stop();
        }
    }

    /** Burns CPU for {@code nanos} without allocating. */
    private static void spinFor(long nanos) {
        long end = System.nanoTime() + nanos;
        long x = 0;
        while (System.nanoTime() < end) x += x * 31 + 7;
        if (x == 42) System.out.println(x);
    }
}
