package io.spikewatch.report.daily;

import io.spikewatch.analyst.DisplayText;

import java.util.List;
import java.util.Locale;

/**
 * Inline SVG charts for the report, drawn in Java so the file needs no script and no network.
 * Every data mark carries {@code class="mark"} and a {@code <title>} tooltip; labels from the data
 * are cleaned, capped and escaped like any other value ({@link Html}).
 */
final class SvgChart {
    private static final int WIDTH = 720;
    private static final int LABEL_CHARS = 28;
    static final String[] COLORS = {"#3366cc", "#dc7633", "#7d3c98", "#c0392b", "#1e8449", "#7f8c8d"};

    private SvgChart() {}

    record Bar(String label, long value, String tooltip) {}

    record Series(String name, long[] values) {}

    record Span(String label, long from, long to, String severity) {}

    /** Horizontal bars, one row per entry, scaled to the largest value. */
    static String hbars(String title, List<Bar> bars) {
        if (bars.isEmpty()) return empty(title);
        int row = 20;
        int labelWidth = 230;
        int height = bars.size() * row + 10;
        long max = 1;
        for (Bar b : bars) max = Math.max(max, b.value);
        StringBuilder s = open(title, height);
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            int y = 5 + i * row;
            double w = Math.max(1, (WIDTH - labelWidth - 90) * (double) b.value / max);
            s.append("<text class=\"lbl\" x=\"").append(labelWidth - 6).append("\" y=\"").append(y + 14)
                    .append("\" text-anchor=\"end\">").append(Html.text(b.label, LABEL_CHARS)).append("</text>");
            s.append("<rect class=\"mark\" x=\"").append(labelWidth).append("\" y=\"").append(y + 2)
                    .append("\" width=\"").append(fmt(w)).append("\" height=\"").append(row - 5)
                    .append("\" fill=\"").append(COLORS[0]).append("\"><title>")
                    .append(Html.text(b.tooltip, Html.TITLE_CHARS)).append("</title></rect>");
            s.append("<text class=\"val\" x=\"").append(fmt(labelWidth + w + 4)).append("\" y=\"").append(y + 14)
                    .append("\">").append(Html.num(b.value)).append("</text>");
        }
        return s.append("</svg>").toString();
    }

    /** Vertical bars grouped per x label, one colour per series. */
    static String columns(String title, List<String> xLabels, List<Series> series) {
        if (xLabels.isEmpty() || series.isEmpty()) return empty(title);
        int height = 200;
        int plot = 160;
        long max = maxOf(series);
        StringBuilder s = open(title, height);
        double slot = (double) (WIDTH - 60) / xLabels.size();
        double barW = Math.max(2, (slot - 8) / series.size());
        for (int x = 0; x < xLabels.size(); x++) {
            for (int k = 0; k < series.size(); k++) {
                long v = series.get(k).values[x];
                double h = plot * (double) v / max;
                double left = 50 + x * slot + 4 + k * barW;
                s.append("<rect class=\"mark\" x=\"").append(fmt(left)).append("\" y=\"").append(fmt(10 + plot - h))
                        .append("\" width=\"").append(fmt(barW - 1)).append("\" height=\"").append(fmt(Math.max(h, 0.5)))
                        .append("\" fill=\"").append(COLORS[k % COLORS.length]).append("\"><title>")
                        .append(Html.escape(series.get(k).name)).append(' ').append(Html.escape(xLabels.get(x))).append(": ")
                        .append(Html.num(v)).append("</title></rect>");
            }
            s.append("<text class=\"lbl\" x=\"").append(fmt(50 + x * slot + slot / 2)).append("\" y=\"").append(height - 14)
                    .append("\" text-anchor=\"middle\">").append(Html.escape(xLabels.get(x))).append("</text>");
        }
        axis(s, max, plot);
        legend(s, series, height - 2);
        return s.append("</svg>").toString();
    }

    /** One polyline per series over the x labels (e.g. hours of the day). */
    static String lines(String title, List<String> xLabels, List<Series> series) {
        if (xLabels.isEmpty() || series.isEmpty()) return empty(title);
        int height = 220;
        int plot = 170;
        long max = maxOf(series);
        StringBuilder s = open(title, height);
        double step = xLabels.size() == 1 ? 0 : (double) (WIDTH - 70) / (xLabels.size() - 1);
        for (int k = 0; k < series.size(); k++) {
            Series sr = series.get(k);
            s.append("<polyline class=\"mark\" fill=\"none\" stroke-width=\"2\" stroke=\"").append(COLORS[k % COLORS.length])
                    .append("\" points=\"");
            for (int x = 0; x < xLabels.size(); x++) {
                s.append(fmt(55 + x * step)).append(',').append(fmt(10 + plot - plot * (double) sr.values[x] / max)).append(' ');
            }
            s.append("\"><title>").append(Html.escape(sr.name)).append("</title></polyline>");
        }
        for (int x = 0; x < xLabels.size(); x += Math.max(1, xLabels.size() / 12)) {
            s.append("<text class=\"lbl\" x=\"").append(fmt(55 + x * step)).append("\" y=\"").append(plot + 26)
                    .append("\" text-anchor=\"middle\">").append(Html.escape(xLabels.get(x))).append("</text>");
        }
        axis(s, max, plot);
        legend(s, series, height - 4);
        return s.append("</svg>").toString();
    }

    /** Incidents as spans over the day, one row each, coloured by severity. */
    static String timeline(String title, long from, long to, List<String> ticks, List<Span> spans) {
        if (spans.isEmpty()) return empty(title);
        int row = 14;
        int labelWidth = 230;
        int height = spans.size() * row + 30;
        StringBuilder s = open(title, height);
        double scale = (WIDTH - labelWidth - 10) / (double) Math.max(1, to - from);
        for (int i = 0; i < spans.size(); i++) {
            Span sp = spans.get(i);
            int y = 4 + i * row;
            long a = Math.max(from, sp.from);
            long b = Math.min(to, Math.max(sp.to, sp.from + 60_000));
            double x = labelWidth + (a - from) * scale;
            double w = Math.max(2, (b - a) * scale);
            s.append("<text class=\"lbl\" x=\"").append(labelWidth - 6).append("\" y=\"").append(y + 10)
                    .append("\" text-anchor=\"end\">").append(Html.text(sp.label, LABEL_CHARS)).append("</text>");
            s.append("<rect class=\"mark sev-").append(severityClass(sp.severity)).append("\" x=\"").append(fmt(x))
                    .append("\" y=\"").append(y + 2).append("\" width=\"").append(fmt(w)).append("\" height=\"")
                    .append(row - 4).append("\"><title>").append(Html.text(sp.label, Html.TITLE_CHARS)).append(" (")
                    .append(Html.text(sp.severity, 16)).append(")</title></rect>");
        }
        for (int t = 0; t < ticks.size(); t++) {
            double x = labelWidth + t * (WIDTH - labelWidth - 10) / (double) Math.max(1, ticks.size() - 1);
            s.append("<text class=\"lbl\" x=\"").append(fmt(x)).append("\" y=\"").append(height - 6)
                    .append("\" text-anchor=\"middle\">").append(Html.escape(ticks.get(t))).append("</text>");
        }
        return s.append("</svg>").toString();
    }

    static String severityClass(String severity) {
        return switch (severity == null ? "" : severity) {
            case "low", "medium", "high", "critical" -> severity;
            default -> "unknown";
        };
    }

    private static StringBuilder open(String title, int height) {
        StringBuilder s = new StringBuilder(4096);
        s.append("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"").append(WIDTH)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\"><title>").append(Html.escape(title)).append("</title>");
        return s;
    }

    private static String empty(String title) {
        return "<p class=\"nodata\">" + Html.escape(title) + ": no data in this period.</p>";
    }

    private static void axis(StringBuilder s, long max, int plot) {
        s.append("<text class=\"lbl\" x=\"46\" y=\"16\" text-anchor=\"end\">").append(Html.num(max)).append("</text>");
        s.append("<text class=\"lbl\" x=\"46\" y=\"").append(10 + plot).append("\" text-anchor=\"end\">0</text>");
        s.append("<line x1=\"50\" x2=\"").append(WIDTH - 5).append("\" y1=\"").append(10 + plot).append("\" y2=\"")
                .append(10 + plot).append("\" stroke=\"#999\"/>");
    }

    private static void legend(StringBuilder s, List<Series> series, int y) {
        int x = 55;
        for (int k = 0; k < series.size(); k++) {
            String name = DisplayText.clean(series.get(k).name, 24);
            s.append("<rect x=\"").append(x).append("\" y=\"").append(y - 9).append("\" width=\"10\" height=\"10\" fill=\"")
                    .append(COLORS[k % COLORS.length]).append("\"/><text class=\"lbl\" x=\"").append(x + 14).append("\" y=\"")
                    .append(y).append("\">").append(Html.escape(name)).append("</text>");
            x += 24 + name.length() * 7;
        }
    }

    private static long maxOf(List<Series> series) {
        long max = 1;
        for (Series sr : series) for (long v : sr.values) max = Math.max(max, v);
        return max;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
