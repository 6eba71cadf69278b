package io.spikewatch.parsing;

import io.spikewatch.records.AccessEvent;
import io.spikewatch.records.DeadLetter;

import java.util.ArrayList;
import java.util.List;

/** Test sink for both stages: records everything it is given, in order. */
public final class CollectingOutput implements ParseOutput, RecordDecoder.LineSink {
    public final List<AccessEvent> events = new ArrayList<>();
    public final List<DeadLetter> deadLetters = new ArrayList<>();
    final List<String> lines = new ArrayList<>();
    /** How many of {@link #lines} came as byte ranges (plain records) rather than Strings. */
    int byteLines;

    @Override
    public void event(AccessEvent e) {
        events.add(e);
    }

    @Override
    public void deadLetter(DeadLetter d) {
        deadLetters.add(d);
    }

    @Override
    public void line(String line) {
        lines.add(line);
    }

    @Override
    public void line(byte[] buf, int from, int to) {
        byteLines++;
        lines.add(Utf8Text.decode(buf, from, to));
    }

    int total() {
        return events.size() + deadLetters.size() + lines.size();
    }
}
