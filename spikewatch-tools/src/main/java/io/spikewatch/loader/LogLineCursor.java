package io.spikewatch.loader;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Log lines of files read in path order (see {@link LogFiles}), each with its event time known
 * before it is taken, so that a paced sender can take "every line up to time T" and leave the rest.
 *
 * <p>The event time is read from the line itself ({@link LogRecordPacker#eventTime}: WAF
 * {@code timestamp}, ALB {@code time}); a line without a readable time inherits the previous
 * line's, so it travels with its neighbours. Blank lines are skipped. Not thread-safe.
 */
public final class LogLineCursor implements AutoCloseable {
    private final Iterator<Path> files;
    private BufferedReader reader;
    private String line;
    private long time = Long.MIN_VALUE;

    private LogLineCursor(List<Path> files) {
        this.files = files.iterator();
    }

    /** The lines of {@code inputs} (files or directories, path order). */
    public static LogLineCursor of(List<Path> inputs) throws IOException {
        return new LogLineCursor(LogFiles.list(inputs));
    }

    /** A cursor without lines. */
    public static LogLineCursor empty() {
        return new LogLineCursor(List.of());
    }

    public boolean hasNext() throws IOException {
        while (line == null) {
            if (reader == null) {
                if (!files.hasNext()) return false;
                reader = LogFiles.open(files.next());
            }
            String l = reader.readLine();
            if (l == null) {
                reader.close();
                reader = null;
            } else if (!l.isBlank()) {
                line = l;
                time = LogRecordPacker.eventTime(l, time);
            }
        }
        return true;
    }

    /** Event time (epoch ms) of the next line; {@link Long#MIN_VALUE} while no line had a time. */
    public long peekTime() throws IOException {
        if (!hasNext()) throw new NoSuchElementException("no more lines");
        return time;
    }

    public String next() throws IOException {
        if (!hasNext()) throw new NoSuchElementException("no more lines");
        String l = line;
        line = null;
        return l;
    }

    @Override
    public void close() throws IOException {
        if (reader != null) reader.close();
        reader = null;
    }
}
