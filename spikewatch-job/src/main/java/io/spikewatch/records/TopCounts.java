package io.spikewatch.records;

import java.util.ArrayList;
import java.util.List;

/**
 * Approximate top-k counter (Space-Saving) over parallel arrays, for alert evidence: the URIs, user
 * agents and WAF rules most seen while a key is hot.
 *
 * <p>Arrays rather than a {@code Map} so that Flink serializes it as a POJO without Kryo, and so the
 * memory stays fixed at {@code capacity} entries however many distinct values an attacker sends.
 * When full, a new value replaces the least counted one and inherits its count + 1, which
 * over-estimates newcomers but never loses a truly frequent value.
 */
public class TopCounts {
    public String[] keys;
    public long[] counts;
    public int size;

    public TopCounts() {}

    public static TopCounts withCapacity(int capacity) {
        TopCounts t = new TopCounts();
        t.keys = new String[capacity];
        t.counts = new long[capacity];
        return t;
    }

    /** Counts {@code value} once (already capped by the caller); null values are ignored. */
    public void add(String value) {
        add(value, 1);
    }

    /** Counts {@code value} {@code weight} times; null values are ignored. */
    public void add(String value, long weight) {
        if (value == null) return;
        int min = -1;
        for (int i = 0; i < size; i++) {
            if (keys[i].equals(value)) {
                counts[i] += weight;
                return;
            }
            if (min < 0 || counts[i] < counts[min]) min = i;
        }
        if (size < keys.length) {
            keys[size] = value;
            counts[size] = weight;
            size++;
        } else if (min >= 0) {
            keys[min] = value;
            counts[min] = counts[min] + weight;
        }
    }

    public TopCounts copy() {
        TopCounts t = new TopCounts();
        t.keys = keys.clone();
        t.counts = counts.clone();
        t.size = size;
        return t;
    }

    /** Entries by descending count (ties by value, for deterministic output). */
    public List<Entry> top(int n) {
        List<Entry> all = new ArrayList<>(size);
        for (int i = 0; i < size; i++) all.add(new Entry(keys[i], counts[i]));
        all.sort((a, b) -> a.count != b.count ? Long.compare(b.count, a.count) : a.value.compareTo(b.value));
        return all.size() > n ? all.subList(0, n) : all;
    }

    public record Entry(String value, long count) {}
}
