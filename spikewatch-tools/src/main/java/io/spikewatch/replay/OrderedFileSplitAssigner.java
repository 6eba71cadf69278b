package io.spikewatch.replay;

import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.assigners.FileSplitAssigner;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * Hands out replay files in path order, one at a time. Log files are named by time (AWS writes
 * {@code …/YYYY/MM/DD/HH/…}; the generator writes {@code waf-YYYYMMDDTHHMM.log.gz}), so path order is
 * time order per source, which is what event-time watermarks need: Flink's default assigner would
 * read files in any order, and a later hour read first would make every earlier event late.
 *
 * <p>Optionally prints one progress line per file, for the CLI's long replays.
 */
public class OrderedFileSplitAssigner implements FileSplitAssigner {
    private static final Comparator<FileSourceSplit> ORDER = Comparator
            .comparing((FileSourceSplit s) -> s.path().toString())
            .thenComparingLong(FileSourceSplit::offset);

    private final PriorityQueue<FileSourceSplit> pending = new PriorityQueue<>(ORDER);
    private final boolean printProgress;
    private final int total;
    private int handedOut;

    public OrderedFileSplitAssigner(Collection<FileSourceSplit> splits, boolean printProgress) {
        this.pending.addAll(splits);
        this.printProgress = printProgress;
        this.total = splits.size();
    }

    /** Serializable factory for {@code FileSource.Builder#setSplitAssigner}. */
    public static FileSplitAssigner.Provider provider(boolean printProgress) {
        return splits -> new OrderedFileSplitAssigner(splits, printProgress);
    }

    @Override
    public Optional<FileSourceSplit> getNext(String hostname) {
        FileSourceSplit next = pending.poll();
        if (next != null && printProgress) {
            handedOut++;
            PrintStream err = System.err;
            err.printf("[replay] reading file %d/%d: %s%n", handedOut, Math.max(total, handedOut), next.path());
        }
        return Optional.ofNullable(next);
    }

    @Override
    public void addSplits(Collection<FileSourceSplit> splits) {
        pending.addAll(splits);
    }

    @Override
    public Collection<FileSourceSplit> remainingSplits() {
        List<FileSourceSplit> rest = new ArrayList<>(pending);
        rest.sort(ORDER);
        return rest;
    }
}
