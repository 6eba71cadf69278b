package io.spikewatch.generator;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes log lines into one gzip file per UTC hour, {@code <prefix>-yyyyMMdd'T'HH00.log.gz}, so that
 * the lexicographic order of the file names is their time order (what a directory source reading
 * files in name order needs).
 *
 * <p>Lines must arrive in non-decreasing hour order; a file is closed when the first line of a later
 * hour arrives. Lines are ASCII (both AWS formats escape or percent-encode anything else; a stray
 * non-ASCII character is written as '?').
 *
 * <p>Compression is most of the cost of generating logs (a day is gigabytes before compression), so
 * it runs on a thread of its own per writer, fed 64 KiB chunks in order through a short bounded queue
 * (the caller blocks when compression falls behind, so memory stays bounded), and uses the fastest
 * deflate level — several times faster than the default for ~20% larger files. Output bytes depend
 * only on the lines: chunks are compressed in order and the gzip header carries no time stamp.
 */
final class HourlyGzipWriter implements Closeable {
    private static final int CHUNK = 1 << 16;
    private static final int CHUNKS_IN_FLIGHT = 8;

    private interface IoTask {
        void run() throws IOException;
    }

    private final Path dir;
    private final String prefix;
    private final List<Path> files = new ArrayList<>();
    private final ExecutorService compressor;
    private final Semaphore inFlight = new Semaphore(CHUNKS_IN_FLIGHT);
    private volatile IOException failure;
    private byte[] buffer = new byte[CHUNK];
    private int used;
    private long currentHour = Long.MIN_VALUE;
    private boolean closed;
    /** Touched only by the compressor thread. */
    private OutputStream out;

    HourlyGzipWriter(Path dir, String prefix) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.prefix = prefix;
        compressor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "spikewatch-gzip-" + prefix);
            t.setDaemon(true);
            return t;
        });
    }

    /** Appends {@code line} and a newline to the file of the hour containing {@code epochMillis}. */
    void write(long epochMillis, CharSequence line) throws IOException {
        long hour = Math.floorDiv(epochMillis, 3_600_000L);
        if (hour != currentHour) {
            if (hour < currentHour) {
                throw new IllegalStateException("line for an earlier hour after a later one: " + epochMillis);
            }
            drain();
            open(hour);
        }
        int n = line.length();
        for (int i = 0; i < n; i++) {
            if (used == CHUNK) drain();
            char c = line.charAt(i);
            buffer[used++] = (byte) (c < 0x80 ? c : '?');
        }
        if (used == CHUNK) drain();
        buffer[used++] = '\n';
    }

    List<Path> files() {
        return files;
    }

    private void open(long hour) throws IOException {
        LocalDateTime t = LocalDateTime.ofEpochSecond(hour * 3600, 0, ZoneOffset.UTC);
        String name = String.format(Locale.ROOT, "%s-%04d%02d%02dT%02d00.log.gz", prefix, t.getYear(),
                t.getMonthValue(), t.getDayOfMonth(), t.getHour());
        Path file = dir.resolve(name);
        files.add(file);
        currentHour = hour;
        submit(() -> {
            if (out != null) out.close();
            out = new GZIPOutputStream(Files.newOutputStream(file), CHUNK) {
                {
                    def.setLevel(Deflater.BEST_SPEED);
                }
            };
        });
    }

    private void drain() throws IOException {
        if (used == 0) return;
        byte[] chunk = buffer;
        int length = used;
        buffer = new byte[CHUNK];
        used = 0;
        submit(() -> out.write(chunk, 0, length));
    }

    private void submit(IoTask task) throws IOException {
        rethrow();
        inFlight.acquireUninterruptibly();
        compressor.execute(() -> {
            try {
                if (failure == null) task.run();
            } catch (IOException e) {
                failure = e;
            } finally {
                inFlight.release();
            }
        });
    }

    private void rethrow() throws IOException {
        IOException e = failure;
        if (e != null) throw new IOException("writing " + prefix + " logs in " + dir + " failed: " + e.getMessage(), e);
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        try {
            drain();
            submit(() -> {
                if (out != null) out.close();
                out = null;
            });
        } finally {
            compressor.shutdown();
            try {
                if (!compressor.awaitTermination(10, TimeUnit.MINUTES)) {
                    throw new IOException("compression of " + prefix + " logs did not finish");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while finishing " + prefix + " logs", e);
            }
        }
        rethrow();
    }
}
