package io.spikewatch.report;

import io.spikewatch.evaluation.NabScorer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The NAB table: one row per data file with its NAB counts and raw score, the normalised score of
 * the set, and, when the set is the NAB development subset the team shares, the published
 * detectors' scores on that subset beside it.
 */
public final class NabScorecard {
    private NabScorecard() {}

    /** The files of the team's NAB development subset ({@code shared/nab-dev}). */
    public static final Set<String> DEV_SUBSET = Set.of(
            "realKnownCause/nyc_taxi.csv",
            "realAWSCloudwatch/ec2_network_in_257a54.csv",
            "artificialWithAnomaly/art_increase_spike_density.csv",
            "artificialWithAnomaly/art_load_balancer_spikes.csv",
            "artificialWithAnomaly/art_daily_jumpsup.csv",
            "artificialNoAnomaly/art_daily_small_noise.csv",
            "artificialNoAnomaly/art_noisy.csv");

    /** NAB's published standard-profile scores on {@link #DEV_SUBSET}, as its README lists them. */
    public static final Map<String, Double> PUBLISHED_ON_DEV_SUBSET;

    static {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("ARTime", 85.0);
        m.put("HTM (numenta)", 80.7);
        m.put("Random Cut Forest", 30.8);
        m.put("random", 9.5);
        m.put("null", 0.0);
        PUBLISHED_ON_DEV_SUBSET = m;
    }

    /**
     * @param file   name as in the labels file
     * @param scale  factor applied to the row values to make request counts
     * @param requests requests replayed
     * @param alerts   alerts counted as detections (before mapping to rows)
     */
    public record Row(String file, double scale, long requests, int alerts, NabScorer.FileScore score,
                      double replaySeconds) {}

    public static String render(List<Row> rows, String settings) {
        StringBuilder b = new StringBuilder();
        b.append("| file | rows | scale | requests | windows | alerts | detections | TP | FP | FN | raw score |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            NabScorer.FileScore s = r.score();
            b.append(String.format(Locale.ROOT, "| %s | %,d | %s | %,d | %d | %d | %d | %d | %d | %d | %.3f |%n",
                    r.file(), s.rows(), scale(r.scale()), r.requests(), s.windows(), r.alerts(), s.detections(),
                    s.truePositives(), s.falsePositives(), s.falseNegatives(), s.raw()));
        }
        double normalised = NabScorer.normalised(rows.stream().map(Row::score).toList());
        String score = Double.isNaN(normalised) ? "n/a (no labelled window)" : String.format(Locale.ROOT, "%.1f", normalised);
        b.append(String.format(Locale.ROOT, "%n**NAB score (standard profile, normalised): %s** with %s.%n", score, settings));
        Set<String> files = rows.stream().map(Row::file).collect(Collectors.toSet());
        if (files.equals(DEV_SUBSET)) {
            b.append("\n| detector | NAB score on this subset |\n|---|---:|\n");
            b.append(String.format(Locale.ROOT, "| **spikewatch** (this run) | **%s** |%n", score));
            PUBLISHED_ON_DEV_SUBSET.forEach((name, v) ->
                    b.append(String.format(Locale.ROOT, "| %s (published) | %.1f |%n", name, v)));
        }
        long requests = rows.stream().mapToLong(Row::requests).sum();
        double seconds = rows.stream().mapToDouble(Row::replaySeconds).sum();
        b.append(String.format(Locale.ROOT, "%nReplayed %,d requests of %d files in %.0f s.%n", requests, rows.size(), seconds));
        return b.toString();
    }

    private static String scale(double s) {
        if (s == 1.0) return "1";
        return String.format(Locale.ROOT, s >= 0.01 ? "%.3g" : "%.2e", s);
    }
}
