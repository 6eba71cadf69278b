package io.spikewatch.benchmarks;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * How every benchmark of this package runs unless JMH options say otherwise (JMH reads these
 * annotations through the class hierarchy): average time per operation in nanoseconds, one fork,
 * 3 x 2 s of warm-up and 5 x 2 s measured. Short enough for {@code ./jmh} to run them all in a few
 * minutes; the hot paths measured here are JIT-compiled well within the warm-up. For numbers to
 * compare, add forks and iterations ({@code ./jmh -f 3 -i 10 ...}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public abstract class BenchmarkDefaults {
}
