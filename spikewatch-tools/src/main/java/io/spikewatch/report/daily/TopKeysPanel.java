package io.spikewatch.report.daily;

import io.spikewatch.analyst.DocumentFilter;
import io.spikewatch.analyst.OutputKind;
import io.spikewatch.analyst.OutputRow;
import io.spikewatch.analyst.RateRow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys of one dimension ({@code country} or {@code ip}) with the most requests in the day,
 * ranked by requests seen (the larger of WAF and ALB), with blocks and errors.
 */
final class TopKeysPanel implements ReportPanel {
    static final int TOP = 15;

    /** Per key: [dataset] counts; the country of an ip key. */
    static final class KeyTotals {
        final String key;
        final Counts[] byDataset = {new Counts(), new Counts()};
        String country;

        KeyTotals(String key) {
            this.key = key;
        }

        long seen() {
            return Math.max(byDataset[0].requests, byDataset[1].requests);
        }

        long sum(java.util.function.ToLongFunction<Counts> f) {
            return Math.max(f.applyAsLong(byDataset[0]), f.applyAsLong(byDataset[1]));
        }
    }

    private final String dimension;
    private final String title;
    private final String note;
    private final Map<String, KeyTotals> keys = new HashMap<>();

    TopKeysPanel(String dimension, String title, String note) {
        this.dimension = dimension;
        this.title = title;
        this.note = note;
    }

    static TopKeysPanel countries() {
        return new TopKeysPanel("country", "Top countries", null);
    }

    static TopKeysPanel ips() {
        return new TopKeysPanel("ip", "Top IPs", "Per-IP rates exist only for windows in which an IP sent at least "
                + "rates.ip.min-requests requests (or had an incident), so quiet IPs are missing here and an IP's "
                + "figure counts only its busy windows.");
    }

    @Override
    public String id() {
        return "top-" + dimension;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public DocumentFilter filter(BusinessDay day) {
        return DocumentFilter.of(OutputKind.RATES, day.start(), day.end(), dimension);
    }

    @Override
    public void accept(OutputRow row) {
        RateRow r = (RateRow) row;
        if (r.key() == null) return;
        KeyTotals t = keys.computeIfAbsent(r.key(), KeyTotals::new);
        t.byDataset[Datasets.index(r.dataset())].add(r);
        if (r.country() != null) t.country = r.country();
    }

    List<KeyTotals> top() {
        List<KeyTotals> all = new ArrayList<>(keys.values());
        all.sort(Comparator.comparingLong(KeyTotals::seen).reversed().thenComparing(k -> k.key));
        return all.subList(0, Math.min(TOP, all.size()));
    }

    @Override
    public String render(ReportContext context) {
        StringBuilder s = new StringBuilder();
        if (note != null) s.append("<p class=\"note\">").append(Html.escape(note)).append("</p>");
        boolean ip = "ip".equals(dimension);
        s.append("<table class=\"tbl\"><thead><tr><th>").append(ip ? "IP" : "country").append("</th>");
        if (ip) s.append("<th>country</th>");
        s.append("<th>WAF requests</th><th>ALB requests</th><th>blocked (WAF)</th><th>4xx</th><th>5xx</th></tr></thead><tbody>");
        List<SvgChart.Bar> bars = new ArrayList<>();
        for (KeyTotals k : top()) {
            s.append("<tr><td>").append(Html.value(k.key)).append("</td>");
            if (ip) s.append("<td>").append(Html.value(k.country)).append("</td>");
            s.append("<td class=\"num\">").append(Html.num(k.byDataset[0].requests))
                    .append("</td><td class=\"num\">").append(Html.num(k.byDataset[1].requests))
                    .append("</td><td class=\"num\">").append(Html.num(k.byDataset[0].blocked))
                    .append("</td><td class=\"num\">").append(Html.num(k.sum(c -> c.status4xx)))
                    .append("</td><td class=\"num\">").append(Html.num(k.sum(c -> c.status5xx))).append("</td></tr>");
            bars.add(new SvgChart.Bar(k.key, k.seen(), k.key + ": " + Html.num(k.seen()) + " requests seen"));
        }
        s.append("</tbody></table>");
        s.append(SvgChart.hbars(title + ", requests seen", bars));
        return s.toString();
    }
}
