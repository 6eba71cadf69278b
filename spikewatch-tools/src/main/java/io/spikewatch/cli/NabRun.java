package io.spikewatch.cli;

import io.spikewatch.config.SpikewatchConfig;
import io.spikewatch.evaluation.AlertSummary;
import io.spikewatch.evaluation.Evaluator;
import io.spikewatch.evaluation.NabScorer;
import io.spikewatch.evaluation.NabSeries;
import io.spikewatch.replay.SeriesLineSource;
import io.spikewatch.report.NabScorecard;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code scorecard --nab DIR}: every NAB data file under {@code DIR} becomes WAF traffic (see
 * {@link io.spikewatch.generator.SeriesTraffic}), replayed through the job graph as it is generated;
 * the alerts become flagged rows, scored with {@link NabScorer} against {@code combined_windows.json}.
 *
 * <p>A detection is an alert of the requests or client-errors signal on an aggregate key (scope
 * {@code all}, {@code domestic}, {@code foreign}, or a country): each of them is the series' own
 * traffic or a fixed share of it, so each tells that the series is anomalous at that row. Per-IP
 * alerts do not count: how much one IP sends depends on the size of the client pool, which is a
 * choice of the conversion, not part of the series. An alert flags the row whose interval holds its
 * {@code @timestamp} (first detection).
 */
final class NabRun {
    static final Set<String> AGGREGATE_DIMENSIONS = Set.of("scope", "country");
    static final String HOME_COUNTRY = "US";
    /** Cap on the requests of one row, so that a scale typo does not try to replay billions. */
    static final long MAX_REQUESTS_PER_ROW = 10_000_000;

    private NabRun() {}

    /** The labels file of a NAB directory: {@code DIR/combined_windows.json} or NAB's {@code DIR/labels/...}. */
    static Path labelsFile(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException("--nab: not a directory: " + dir);
        for (Path p : List.of(dir.resolve("combined_windows.json"), dir.resolve("labels").resolve("combined_windows.json"))) {
            if (Files.isRegularFile(p)) return p;
        }
        throw new IOException("--nab: no combined_windows.json in " + dir + " or " + dir.resolve("labels"));
    }

    /** The data files as (name in the labels file, path), sorted by name. */
    static List<Map.Entry<String, Path>> dataFiles(Path dir) throws IOException {
        Path root = Files.isDirectory(dir.resolve("data")) ? dir.resolve("data") : dir;
        List<Map.Entry<String, Path>> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(".csv")).toList()) {
                files.add(Map.entry(root.relativize(p).toString().replace('\\', '/'), p));
            }
        }
        if (files.isEmpty()) throw new IOException("--nab: no *.csv data files under " + root);
        files.sort(Map.Entry.comparingByKey());
        return files;
    }

    /** Parses {@code --scale}: {@code auto} (NaN here) or a positive factor. */
    static double parseScale(String scale) {
        if (scale.equalsIgnoreCase("auto")) return Double.NaN;
        try {
            double s = Double.parseDouble(scale);
            if (s > 0 && Double.isFinite(s)) return s;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("--scale must be 'auto' or a positive number, got '" + scale + "'");
    }

    static List<NabScorecard.Row> run(Path dir, String scaleOption, SpikewatchConfig config, long seed, Path out,
                                      boolean keepRates, PrintStream progress) throws Exception {
        double fixedScale = parseScale(scaleOption);
        Map<String, List<long[]>> labels = NabSeries.readLabels(labelsFile(dir));
        List<Map.Entry<String, Path>> files = dataFiles(dir);
        for (Map.Entry<String, Path> f : files) {
            if (!labels.containsKey(f.getKey())) {
                throw new IOException("--nab: no labels for " + f.getKey() + " in combined_windows.json");
            }
        }
        List<NabScorecard.Row> rows = new ArrayList<>();
        int n = 0;
        for (Map.Entry<String, Path> f : files) {
            n++;
            NabSeries series = NabSeries.read(f.getValue(), f.getKey());
            double scale = Double.isNaN(fixedScale) ? NabSeries.autoScale(series.values()) : fixedScale;
            long[] counts = series.requestCounts(scale);
            int[] perRow = new int[counts.length];
            long requests = 0;
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > MAX_REQUESTS_PER_ROW) {
                    throw new IllegalArgumentException(f.getKey() + ": row " + (i + 2) + " would be " + counts[i]
                            + " requests at scale " + scale + " (at most " + MAX_REQUESTS_PER_ROW + "); use a smaller --scale");
                }
                perRow[i] = (int) counts[i];
                requests += counts[i];
            }
            long[] rowEnd = new long[series.rows()];
            for (int i = 0; i < rowEnd.length; i++) rowEnd[i] = series.rowEnd(i);
            progress.printf(Locale.ROOT, "[nab] %d/%d %s: %,d rows, scale %s, %,d requests%n", n, files.size(), f.getKey(),
                    series.rows(), scale == 1.0 ? "1" : String.format(Locale.ROOT, "%.4g", scale), requests);

            Path results = out.resolve("nab").resolve(f.getKey().replaceFirst("\\.csv$", ""));
            long started = System.nanoTime();
            ReplayJob.runGenerated(SeriesLineSource.create(series.rowStart(), rowEnd, perRow, seed, HOME_COUNTRY),
                    "NAB " + f.getKey(), results, config, keepRates, null);
            double seconds = (System.nanoTime() - started) / 1e9;

            List<AlertSummary> alerts = Evaluator.readAlerts(results.resolve(ReplayJob.ALERTS)).stream()
                    .filter(a -> AGGREGATE_DIMENSIONS.contains(a.dimension())).toList();
            int[] flagged = flaggedRows(series, alerts);
            NabScorer.FileScore score = NabScorer.score(series.rows(), series.windows(labels.get(f.getKey())), flagged,
                    NabScorer.Profile.STANDARD);
            rows.add(new NabScorecard.Row(f.getKey(), scale, requests, alerts.size(), score, seconds));
            progress.printf(Locale.ROOT, "[nab] %d/%d %s: %d alerts, %d detections (TP %d, FP %d, FN %d), raw %.3f, %.0f s%n",
                    n, files.size(), f.getKey(), alerts.size(), score.detections(), score.truePositives(),
                    score.falsePositives(), score.falseNegatives(), score.raw(), seconds);
        }
        return rows;
    }

    /** The rows whose intervals hold the alerts' first-detection times (alerts outside the series are dropped). */
    static int[] flaggedRows(NabSeries series, List<AlertSummary> alerts) {
        return alerts.stream().mapToInt(a -> series.rowAt(a.timestamp().toEpochMilli())).filter(r -> r >= 0).toArray();
    }
}
