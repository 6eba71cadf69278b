package io.spikewatch.loader;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The loader's input: log files and directories (searched recursively, hidden files and
 * directories skipped), in path order like {@code replay} (AWS and the generator name files by
 * time), each plain text or gzip (recognized by its magic bytes, whatever its name).
 */
public final class LogFiles {
    /** Receives each line of each file. */
    public interface LineConsumer {
        void line(String line) throws IOException;
    }

    private LogFiles() {}

    /** The regular files under {@code inputs}, in path order; an unreadable or missing input is an error. */
    public static List<Path> list(List<Path> inputs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path input : inputs) {
            if (!Files.exists(input)) throw new IOException("input not found: " + input);
            if (!Files.isReadable(input)) throw new IOException("input not readable: " + input);
            if (Files.isDirectory(input)) {
                try (Stream<Path> walk = Files.walk(input)) {
                    walk.filter(Files::isRegularFile)
                            .filter(p -> !hidden(input.relativize(p)))
                            .sorted()
                            .forEach(files::add);
                }
            } else {
                files.add(input);
            }
        }
        return files;
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) return true;
        }
        return false;
    }

    /**
     * Feeds every line of {@code file} (without terminator) to {@code out}. Invalid UTF-8 is replaced
     * rather than fatal: the job dead-letters what it cannot parse, so the loader sends what it has.
     */
    public static void forEachLine(Path file, LineConsumer out) throws IOException {
        try (BufferedReader reader = open(file)) {
            String line;
            while ((line = reader.readLine()) != null) out.line(line);
        }
    }

    /** A reader of {@code file}'s lines, gunzipped when it starts with the gzip magic, invalid UTF-8 replaced. */
    public static BufferedReader open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)), 1 << 16);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }
}
