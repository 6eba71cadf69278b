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
        ResourceMeter.Usage u;
        try (ResourceMeter m = ResourceMeter.arm()) {
            ResourceMeter.markStart();
            Thread worker = new Thread(ResourceMeterTest::spin, "Source: spin");
            worker.start();
            worker.join();
            u = m.stop();
        }
        assertThat(u.cpuSecondsByGroup()).containsKey("source chain");
    }

    /** Burns about 300 ms of CPU (clock ticks are 10 ms). */
    private static void spin() {
        long end = System.nanoTime() + 300_000_000L;
        long x = 0;
        while (System.nanoTime() < end) x += x * 31 + 7;
        if (x == 42) System.out.println(x);
    }
}
