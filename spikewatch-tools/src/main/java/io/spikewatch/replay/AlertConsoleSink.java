package io.spikewatch.replay;

import io.spikewatch.records.AlertDocument;
import io.spikewatch.report.AlertLine;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.io.PrintStream;

/**
 * Prints alert openings, escalations and resolutions as they happen, one line each (the demo's and
 * replay's live view). Window-by-window updates are not printed: they would drown the openings.
 */
public class AlertConsoleSink implements Sink<AlertDocument> {
    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<AlertDocument> createWriter(InitContext context) {
        return new Writer(System.out);
    }

    @Override
    public SinkWriter<AlertDocument> createWriter(WriterInitContext context) {
        return new Writer(System.out);
    }

    private static final class Writer implements SinkWriter<AlertDocument> {
        private final PrintStream out;

        Writer(PrintStream out) {
            this.out = out;
        }

        @Override
        public void write(AlertDocument alert, Context context) {
            if (!AlertDocument.CHANGE_UPDATE.equals(alert.change)) {
                out.println(AlertLine.format(alert));
            }
        }

        @Override
        public void flush(boolean endOfInput) {
            out.flush();
        }

        @Override
        public void close() {
            out.flush();
        }
    }
}
