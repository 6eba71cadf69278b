package io.spikewatch.replay;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;

/**
 * Writes documents as JSON Lines into one file (replay's {@code rates.jsonl}, {@code alerts.jsonl},
 * {@code deadletter.jsonl}). Meant for bounded local runs: the file is truncated when the writer
 * opens and flushed on checkpoints and at the end of input. With parallelism above 1 each subtask
 * writes {@code name-<subtask>.jsonl} instead, so writers never interleave lines.
 */
public class JsonLinesFileSink<T> implements Sink<T> {
    private final String path;
    private final DocumentRenderer<T> renderer;

    public JsonLinesFileSink(Path path, DocumentRenderer<T> renderer) {
        this.path = path.toAbsolutePath().toString();
        this.renderer = renderer;
    }

    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<T> createWriter(InitContext context) throws IOException {
        return open(context.getSubtaskId(), context.getNumberOfParallelSubtasks());
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return open(context.getTaskInfo().getIndexOfThisSubtask(), context.getTaskInfo().getNumberOfParallelSubtasks());
    }

    private SinkWriter<T> open(int subtask, int parallelism) throws IOException {
        Path file = Paths.get(path);
        if (parallelism > 1) {
            String name = file.getFileName().toString();
            int dot = name.lastIndexOf('.');
            String stem = dot > 0 ? name.substring(0, dot) : name;
            String ext = dot > 0 ? name.substring(dot) : "";
            file = file.resolveSibling(stem + "-" + subtask + ext);
        }
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        return new Writer<>(out, renderer);
    }

    private static final class Writer<T> implements SinkWriter<T> {
        private final BufferedWriter out;
        private final DocumentRenderer<T> renderer;

        Writer(BufferedWriter out, DocumentRenderer<T> renderer) {
            this.out = out;
            this.renderer = renderer;
        }

        @Override
        public void write(T element, Context context) throws IOException {
            out.write(renderer.render(element));
            out.write('\n');
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
