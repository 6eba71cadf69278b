package io.spikewatch.generator;

import io.spikewatch.evaluation.TruthIncident;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An incident planted into the generated traffic: emits its requests minute by minute and
 * describes itself as a {@link TruthIncident} label.
 *
 * <p>Each incident owns its random stream (split from the run's seed), so the background traffic of
 * a seed is the same whichever incidents a scenario adds. Incidents start and end on whole minutes;
 * {@link #emit} is called for each minute in {@code [start, end)}.
 */
abstract class PlantedIncident {
    /** What an incident needs from the run: the request builder, the clients and the rate model. */
    record Context(RequestFactory factory, ClientPopulation population, TrafficModel model, CountryCatalog catalog) {}

    final Context ctx;
    final SplittableRandom rnd;
    final long startMillis;
    final long endMillis;

    PlantedIncident(Context ctx, SplittableRandom rnd, long startMillis, int minutes) {
        this.ctx = ctx;
        this.rnd = rnd;
        this.startMillis = startMillis;
        this.endMillis = startMillis + minutes * 60_000L;
    }

    /** Adds this incident's requests created in the minute starting at {@code minuteStart}. */
    abstract void emit(long minuteStart, List<SyntheticRequest> out);

    abstract TruthIncident truth();

    boolean activeIn(long minuteStart) {
        return minuteStart >= startMillis && minuteStart < endMillis;
    }

    TruthIncident label(String kind, String dimension, String key, String country, String scope) {
        return new TruthIncident(Instant.ofEpochMilli(startMillis), Instant.ofEpochMilli(endMillis), dimension, key,
                kind, country, scope);
    }

    /** A uniform draw in [from, to]. */
    static int between(SplittableRandom rnd, int from, int to) {
        return from + rnd.nextInt(to - from + 1);
    }
}
