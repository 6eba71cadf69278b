package io.spikewatch.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One NAB data file ({@code timestamp,value} rows, timestamps {@code yyyy-MM-dd HH:mm:ss}, read as
 * UTC) and the request counts it becomes.
 *
 * <p>Row {@code i} covers {@code [start(i), start(i+1))}; the last row covers as long as the one
 * before it. Row values become request counts by {@link #autoScale}: values are request counts as
 * they are when their median is between 1 and 5,000 requests per row; otherwise the series is
 * multiplied so that its median (or, when the median is 0, the median of its non-zero values)
 * becomes 100 requests per row. Counts are rounded to whole requests; negative values count 0.
 *
 * @param name     the file's name in the labels file, e.g. {@code realKnownCause/nyc_taxi.csv}
 * @param rowStart start of each row, epoch milliseconds, strictly increasing
 * @param values   each row's value as read
 */
public record NabSeries(String name, long[] rowStart, double[] values) {
    private static final DateTimeFormatter ROW_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter LABEL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]");
    /** Median row values inside this range are request counts as they are. */
    public static final double MIN_COUNT_MEDIAN = 1;
    public static final double MAX_COUNT_MEDIAN = 5000;
    /** What {@link #autoScale} brings the median row to when it scales. */
    public static final double SCALED_MEDIAN = 100;

    public NabSeries {
        if (rowStart.length != values.length) throw new IllegalArgumentException("timestamps and values differ in length");
        if (rowStart.length < 2) throw new IllegalArgumentException(name + ": fewer than two rows");
    }

    public int rows() {
        return rowStart.length;
    }

    /** End (exclusive) of row {@code i}. */
    public long rowEnd(int i) {
        return i + 1 < rowStart.length ? rowStart[i + 1] : rowStart[i] + (rowStart[i] - rowStart[i - 1]);
    }

    /** The row whose interval holds {@code timeMillis}, or -1 when it is outside the series. */
    public int rowAt(long timeMillis) {
        if (timeMillis < rowStart[0] || timeMillis >= rowEnd(rows() - 1)) return -1;
        int i = Arrays.binarySearch(rowStart, timeMillis);
        return i >= 0 ? i : -i - 2;
    }

    /** Requests per row for a scale factor. */
    public long[] requestCounts(double scale) {
        long[] counts = new long[values.length];
        for (int i = 0; i < values.length; i++) counts[i] = Math.max(0, Math.round(values[i] * scale));
        return counts;
    }

    /** The factor of the {@code --scale auto} rule described in the class comment. */
    public static double autoScale(double[] values) {
        double median = median(values);
        if (median >= MIN_COUNT_MEDIAN && median <= MAX_COUNT_MEDIAN) return 1.0;
        double reference = median;
        if (reference <= 0) {
            reference = median(Arrays.stream(values).filter(v -> v > 0).toArray());
            if (!(reference > 0)) return 1.0;
        }
        return SCALED_MEDIAN / reference;
    }

    static double median(double[] values) {
        if (values.length == 0) return Double.NaN;
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Reads a NAB data file; {@code name} is its key in the labels file. */
    public static NabSeries read(Path csv, String name) throws IOException {
        List<Long> starts = new ArrayList<>();
        List<Double> vals = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null || !header.trim().equalsIgnoreCase("timestamp,value")) {
                throw new IOException(csv + ": not a NAB data file (expected the header 'timestamp,value')");
            }
            String line;
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                int comma = line.indexOf(',');
                if (comma < 0) throw new IOException(csv + " line " + lineNo + ": expected 'timestamp,value'");
                long t;
                double v;
                try {
                    t = LocalDateTime.parse(line.substring(0, comma).trim(), ROW_TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
                    v = Double.parseDouble(line.substring(comma + 1).trim());
                } catch (DateTimeParseException | NumberFormatException e) {
                    throw new IOException(csv + " line " + lineNo + ": bad row '" + line + "'");
                }
                if (!Double.isFinite(v)) throw new IOException(csv + " line " + lineNo + ": value is not a number");
                if (!starts.isEmpty() && t <= starts.get(starts.size() - 1)) {
                    throw new IOException(csv + " line " + lineNo + ": timestamps must increase");
                }
                starts.add(t);
                vals.add(v);
            }
        }
        if (starts.size() < 2) throw new IOException(csv + ": fewer than two rows");
        return new NabSeries(name, starts.stream().mapToLong(Long::longValue).toArray(),
                vals.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The windows of this series from the labels, as row indices (rows inside each window's bounds). */
    public List<NabScorer.Window> windows(List<long[]> labelled) {
        List<NabScorer.Window> out = new ArrayList<>();
        for (long[] w : labelled) {
            int first = -1;
            int last = -1;
            for (int i = 0; i < rowStart.length; i++) {
                if (rowStart[i] >= w[0] && rowStart[i] <= w[1]) {
                    if (first < 0) first = i;
                    last = i;
                }
            }
            if (first >= 0) out.add(new NabScorer.Window(first, last));
        }
        return out;
    }

    /**
     * Reads NAB's {@code combined_windows.json}: file name → windows as {@code [start, end]} epoch
     * milliseconds (both inclusive).
     */
    public static Map<String, List<long[]>> readLabels(Path json) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json.toFile());
        } catch (IOException e) {
            throw new IOException(json + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (root == null || !root.isObject()) throw new IOException(json + ": expected an object of file name → windows");
        Map<String, List<long[]>> labels = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            List<long[]> windows = new ArrayList<>();
            for (JsonNode w : e.getValue()) {
                if (!w.isArray() || w.size() != 2) throw new IOException(json + ": " + e.getKey() + ": a window is not [start, end]");
                try {
                    windows.add(new long[] {labelTime(w.get(0).asText()), labelTime(w.get(1).asText())});
                } catch (DateTimeParseException ex) {
                    throw new IOException(json + ": " + e.getKey() + ": bad window time '" + ex.getParsedString() + "'");
                }
            }
            labels.put(e.getKey(), windows);
        }
        return labels;
    }

    private static long labelTime(String s) {
        return LocalDateTime.parse(s.trim(), LABEL_TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
    }
}
