package io.spikewatch.benchmarks;

import io.spikewatch.detection.DetectionOutput;
import io.spikewatch.parsing.RecordDecoder;
import io.spikewatch.records.AlertDocument;
import io.spikewatch.records.DeadLetter;
import io.spikewatch.records.RateDocument;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Where the benchmarked code puts its output: into JMH's {@link Blackhole}, bound per call the way
 * the operators re-bind their callback object to the current collector, so nothing the code produces
 * is dead. It also counts what it receives, for the set-up checks that run before a Blackhole is
 * bound (then output is only counted); an increment per output is noise next to producing it.
 */
final class BlackholeSink implements RecordDecoder.LineSink, DetectionOutput {
    Blackhole bh;
    long lines;
    long deadLetters;
    long rates;
    long alerts;

    @Override
    public void line(String line) {
        lines++;
        consume(line);
    }

    /** Plain records' lines: consumed as the range's bounds, without making a String the job never makes. */
    @Override
    public void line(byte[] buf, int from, int to) {
        lines++;
        if (bh != null) {
            bh.consume(buf);
            bh.consume(from);
            bh.consume(to);
        }
    }

    @Override
    public void deadLetter(DeadLetter d) {
        deadLetters++;
        consume(d);
    }

    @Override
    public void rate(RateDocument rate) {
        rates++;
        consume(rate);
    }

    @Override
    public void alert(AlertDocument alert) {
        alerts++;
        consume(alert);
    }

    private void consume(Object output) {
        if (bh != null) bh.consume(output);
    }
}
