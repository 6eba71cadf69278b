package io.spikewatch.replay;

import java.io.Serializable;

/** Turns an output document into its JSON text; a serializable function so sinks can carry it. */
@FunctionalInterface
public interface DocumentRenderer<T> extends Serializable {
    String render(T document);
}
