package io.spikewatch.report.daily;

import io.spikewatch.analyst.DocumentFilter;
import io.spikewatch.analyst.OutputKind;
import io.spikewatch.analyst.OutputRow;
import io.spikewatch.analyst.RateRow;

import java.util.ArrayList;
import java.util.List;

/**
 * Access, blocks and errors of the day, domestic vs foreign, per dataset, and their course hour by
 * hour. Reads the scope-dimension rates ({@code domestic}, {@code foreign}, {@code all}): every
 * request is in them, unlike the ip rates.
 */
final class TrafficPanel implements ReportPanel {
    static final List<String> SCOPES = List.of("all", "domestic", "foreign");

    /** [dataset][scope] totals of the day. */
    final Counts[][] totals = new Counts[2][3];
    /** [dataset][scope][hour] requests; [dataset][hour] blocked, 4xx and 5xx of scope all. */
    private long[][][] hourly;
    private long[][] hourlyBlocked;
    private long[][] hourly4xx;
    private long[][] hourly5xx;
    private long start;
    private final boolean[] present = new boolean[2];

    TrafficPanel() {
        for (Counts[] row : totals) for (int i = 0; i < row.length; i++) row[i] = new Counts();
    }

    @Override
    public String id() {
        return "traffic";
    }

    @Override
    public String title() {
        return "Traffic: access, blocks and errors, domestic vs foreign";
    }

    @Override
    public DocumentFilter filter(BusinessDay day) {
        start = day.start().toEpochMilli();
        int hours = (int) Math.max(1, (day.length().toHours()));
        hourly = new long[2][3][hours];
        hourlyBlocked = new long[2][hours];
        hourly4xx = new long[2][hours];
        hourly5xx = new long[2][hours];
        return DocumentFilter.of(OutputKind.RATES, day.start(), day.end(), "scope");
    }

    @Override
    public void accept(OutputRow row) {
        RateRow r = (RateRow) row;
        int scope = SCOPES.indexOf(r.key());
        if (scope < 0) return;
        int d = Datasets.index(r.dataset());
        present[d] = true;
        totals[d][scope].add(r);
        int hour = (int) Math.min(hourly[d][scope].length - 1, Math.max(0, (r.startMillis() - start) / 3_600_000L));
        hourly[d][scope][hour] += r.total();
        if (scope == 0) {
            hourlyBlocked[d][hour] += r.blocked();
            hourly4xx[d][hour] += r.status4xx();
            hourly5xx[d][hour] += r.status5xx();
        }
    }

    Counts total(String dataset, String scope) {
        return totals[Datasets.index(dataset)][SCOPES.indexOf(scope)];
    }

    @Override
    public String render(ReportContext context) {
        StringBuilder s = new StringBuilder();
        s.append("<table class=\"tbl\"><thead><tr><th>dataset</th><th>scope</th><th>requests</th><th>blocked</th>"
                + "<th>blocked share</th><th>4xx</th><th>5xx</th></tr></thead><tbody>");
        for (String dataset : Datasets.ALL) {
            if (!present[Datasets.index(dataset)]) continue;
            for (String scope : SCOPES) {
                Counts c = total(dataset, scope);
                s.append("<tr><td>").append(Datasets.label(dataset)).append("</td><td>").append(scope)
                        .append("</td><td class=\"num\">").append(Html.num(c.requests))
                        .append("</td><td class=\"num\">").append(Html.num(c.blocked))
                        .append("</td><td class=\"num\">").append(Html.share(c.blocked, c.requests))
                        .append("</td><td class=\"num\">").append(Html.num(c.status4xx))
                        .append("</td><td class=\"num\">").append(Html.num(c.status5xx)).append("</td></tr>");
            }
        }
        s.append("</tbody></table>");
        s.append("<p class=\"note\">WAF and ALB are shown apart: a request that passes both is counted by each. "
                + "WAF logs no status for allowed requests, so its 4xx are mostly its own blocks (403).</p>");
        List<SvgChart.Bar> bars = new ArrayList<>();
        for (String dataset : Datasets.ALL) {
            if (!present[Datasets.index(dataset)]) continue;
            for (String scope : List.of("domestic", "foreign")) {
                Counts c = total(dataset, scope);
                String label = Datasets.label(dataset) + " " + scope;
                bars.add(new SvgChart.Bar(label, c.requests, label + ": " + Html.num(c.requests) + " requests"));
            }
        }
        s.append(SvgChart.hbars("Requests, domestic vs foreign", bars));

        int hours = hourlyBlocked[0].length;
        List<String> labels = new ArrayList<>();
        for (int h = 0; h < hours; h++) labels.add(context.time(start + h * 3_600_000L));
        List<SvgChart.Series> series = new ArrayList<>();
        series.add(new SvgChart.Series("domestic", seen(hourly, 1)));
        series.add(new SvgChart.Series("foreign", seen(hourly, 2)));
        series.add(new SvgChart.Series("blocked", larger(hourlyBlocked)));
        series.add(new SvgChart.Series("4xx", larger(hourly4xx)));
        series.add(new SvgChart.Series("5xx", larger(hourly5xx)));
        s.append(SvgChart.lines("Requests per hour (" + context.day().zone() + "), the larger of WAF and ALB", labels, series));
        return s.toString();
    }

    private static long[] seen(long[][][] perDataset, int scope) {
        long[] out = perDataset[0][scope].clone();
        for (int h = 0; h < out.length; h++) out[h] = Math.max(out[h], perDataset[1][scope][h]);
        return out;
    }

    private static long[] larger(long[][] perDataset) {
        long[] out = perDataset[0].clone();
        for (int h = 0; h < out.length; h++) out[h] = Math.max(out[h], perDataset[1][h]);
        return out;
    }
}
