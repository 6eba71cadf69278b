package io.spikewatch.evaluation;

import java.util.List;

/**
 * The Numenta Anomaly Benchmark score of a binary detector: which rows of a series it flagged,
 * against the labelled anomaly windows of that series. Follows NAB's {@code sweeper.py} at one
 * threshold (every flagged row is a detection).
 *
 * <ul>
 *   <li>The first 15% of the rows (at most 750) are probationary: detections there are ignored,
 *       and a window lying wholly inside them is not scored.</li>
 *   <li>Inside a window of {@code width} rows ending at row {@code right}, a detection at row
 *       {@code i} has the relative position {@code y = -(right - i + 1) / width} (-1 at the window's
 *       first row, just below 0 at its last) and scores {@code A_TP × σ(y) / σ(-1)}, where
 *       {@code σ(y) = 2 / (1 + e^(5y)) - 1} is NAB's scaled sigmoid: {@code A_TP} at the start,
 *       close to 0 at the end. Only the best (earliest) detection of a window counts; a window
 *       without one costs {@code A_FN}.</li>
 *   <li>Outside every window, a detection at row {@code i} after a window ending at row
 *       {@code right} has {@code y = (i - right) / (width - 1)} with that window's width and scores
 *       {@code A_FP × σ(y)} ({@code σ = -1} from {@code y = 3} on): barely anything right after the
 *       window, {@code -A_FP} far from it. Before the first window it costs the full {@code A_FP}.</li>
 * </ul>
 * The normalised score of a set of files is {@code 100 × (raw - raw_null) / (raw_perfect - raw_null)}
 * over the summed raw scores: the null detector flags nothing ({@code -A_FN} per scored window),
 * the perfect one flags the first scorable row of every window.
 */
public final class NabScorer {
    private NabScorer() {}

    /** NAB's cost weights; {@link #STANDARD} is the standard profile. */
    public record Profile(double truePositive, double falsePositive, double falseNegative) {
        public static final Profile STANDARD = new Profile(1.0, 0.11, 1.0);
    }

    /** A labelled window as row indices, both inclusive. */
    public record Window(int first, int last) {
        public Window {
            if (first < 0 || last < first) throw new IllegalArgumentException("window rows " + first + ".." + last);
        }

        int width() {
            return last - first + 1;
        }
    }

    /**
     * The score of one file.
     *
     * @param windows    windows scored (those with at least one row after the probationary period)
     * @param detections distinct flagged rows after the probationary period
     * @param raw        the file's raw score; {@code rawNull} and {@code rawPerfect} are those of the
     *                   null and perfect detectors on the same file
     */
    public record FileScore(int rows, int windows, int detections, int truePositives, int falsePositives,
                            int falseNegatives, double raw, double rawNull, double rawPerfect) {}

    /** NAB's scaled sigmoid of a relative position: about 0.987 at -1, 0 at 0, -1 from 3 on. */
    public static double scaledSigmoid(double y) {
        if (y >= 3.0) return -1.0;
        return 2.0 / (1.0 + Math.exp(5.0 * y)) - 1.0;
    }

    /** Rows at the start of a file whose detections are ignored: 15%, at most 750. */
    public static int probationaryRows(int rows) {
        return (int) Math.min(Math.floor(0.15 * rows), 750);
    }

    /**
     * Scores one file.
     *
     * @param rows     number of rows of the series
     * @param windows  labelled windows, in row order and not overlapping
     * @param flagged  rows flagged anomalous, any order, repeats allowed
     */
    public static FileScore score(int rows, List<Window> windows, int[] flagged, Profile profile) {
        Window previous = null;
        for (Window w : windows) {
            if (w.last() >= rows) throw new IllegalArgumentException("window " + w + " beyond the last row " + (rows - 1));
            if (previous != null && w.first() <= previous.last()) {
                throw new IllegalArgumentException("windows overlap or are out of order: " + previous + ", " + w);
            }
            previous = w;
        }
        int probation = probationaryRows(rows);
        boolean[] isFlagged = new boolean[rows];
        for (int r : flagged) {
            if (r < 0 || r >= rows) throw new IllegalArgumentException("flagged row " + r + " outside 0.." + (rows - 1));
            isFlagged[r] = true;
        }
        double maxTruePositive = scaledSigmoid(-1.0);
        double raw = 0;
        double rawNull = 0;
        double rawPerfect = 0;
        int scored = 0;
        int detections = 0;
        int tp = 0;
        int fp = 0;
        int nextWindow = 0;
        Window current = null;
        Window last = null;
        double best = 0;
        boolean hit = false;
        for (int i = 0; i < rows; i++) {
            if (current == null && nextWindow < windows.size() && windows.get(nextWindow).first() == i) {
                current = windows.get(nextWindow++);
                best = -profile.falseNegative();
                hit = false;
            }
            boolean counts = i >= probation;
            if (current != null) {
                double y = -(double) (current.last() - i + 1) / current.width();
                double weighted = scaledSigmoid(y) * profile.truePositive() / maxTruePositive;
                if (counts && isFlagged[i]) {
                    detections++;
                    if (!hit || weighted > best) best = weighted;
                    hit = true;
                }
                if (i == current.last()) {
                    if (current.last() >= probation) {
                        scored++;
                        raw += best;
                        rawNull -= profile.falseNegative();
                        int firstScorable = Math.max(current.first(), probation);
                        rawPerfect += scaledSigmoid(-(double) (current.last() - firstScorable + 1) / current.width())
                                * profile.truePositive() / maxTruePositive;
                        if (hit) tp++;
                    }
                    last = current;
                    current = null;
                }
            } else if (counts && isFlagged[i]) {
                detections++;
                fp++;
                // NAB divides by (width - 1); a one-row window would divide by zero there, so it
                // counts as width 2.
                double y = last == null ? 3.0 : (double) (i - last.last()) / Math.max(1, last.width() - 1);
                raw += scaledSigmoid(y) * profile.falsePositive();
            }
        }
        return new FileScore(rows, scored, detections, tp, fp, scored - tp, raw, rawNull, rawPerfect);
    }

    /** NAB's normalised score of a set of files, or NaN when they have no scored window. */
    public static double normalised(List<FileScore> files) {
        double raw = 0;
        double rawNull = 0;
        double rawPerfect = 0;
        for (FileScore f : files) {
            raw += f.raw();
            rawNull += f.rawNull();
            rawPerfect += f.rawPerfect();
        }
        if (rawPerfect == rawNull) return Double.NaN;
        return 100 * (raw - rawNull) / (rawPerfect - rawNull);
    }
}
