package io.spikewatch.parsing;

import io.spikewatch.records.AccessEvent;
import io.spikewatch.records.DeadLetter;

/**
 * Where {@link LogLineParser} puts its result: exactly one call per non-blank line, either an event
 * or a dead letter. The Flink operator implements it by emitting events to its collector and dead
 * letters to a side output; tests implement it with lists.
 */
public interface ParseOutput {
    void event(AccessEvent e);

    void deadLetter(DeadLetter d);
}
