package io.spikewatch.report.daily;

import io.spikewatch.analyst.AlertRow;
import io.spikewatch.analyst.DocumentFilter;
import io.spikewatch.analyst.OutputKind;
import io.spikewatch.analyst.OutputRow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The incidents that overlap the day, most severe first, each with its evidence. {@code observed}
 * and the evidence's request count are labelled with what each counts (docs/analyst.md).
 */
final class IncidentsPanel implements ReportPanel {
    static final int SHOWN = 100;
    private static final List<String> SEVERITY_ORDER = List.of("critical", "high", "medium", "low");

    final List<AlertRow> incidents = new ArrayList<>();
    private long from;
    private long to;

    @Override
    public String id() {
        return "incidents";
    }

    @Override
    public String title() {
        return "Incidents of the day, with evidence";
    }

    @Override
    public DocumentFilter filter(BusinessDay day) {
        from = day.start().toEpochMilli();
        to = day.end().toEpochMilli();
        return DocumentFilter.of(OutputKind.ALERTS, day.start(), day.end());
    }

    @Override
    public void accept(OutputRow row) {
        incidents.add((AlertRow) row);
    }

    List<AlertRow> sorted() {
        List<AlertRow> all = new ArrayList<>(incidents);
        all.sort(Comparator.comparingInt((AlertRow a) -> rank(a.severity())).thenComparingLong(AlertRow::startMillis));
        return all;
    }

    private static int rank(String severity) {
        int i = SEVERITY_ORDER.indexOf(severity);
        return i < 0 ? SEVERITY_ORDER.size() : i;
    }

    @Override
    public String render(ReportContext context) {
        List<AlertRow> all = sorted();
        if (all.isEmpty()) return "<p>No incidents in this period.</p>";
        StringBuilder s = new StringBuilder();
        s.append("<p class=\"note\"><b>observed</b>: the alerted signal's count (requests, or 4xx answers for the "
                + "client_errors signal) in the incident's latest one-window count — at opening, the running count when "
                + "the threshold was crossed. <b>evidence requests</b>: every request of the key since it came close to "
                + "its threshold, summed over the incident so far; the evidence's top lists and blocked share cover "
                + "those requests.</p>");
        List<SvgChart.Span> spans = new ArrayList<>();
        for (AlertRow a : all) {
            spans.add(new SvgChart.Span(a.dimension() + " " + a.key(), a.startMillis(), a.endMillis(), a.severity()));
        }
        List<String> ticks = new ArrayList<>();
        for (int i = 0; i <= 6; i++) ticks.add(context.time(from + (to - from) * i / 6));
        s.append(SvgChart.timeline("Incidents over the day", from, to, ticks, spans.subList(0, Math.min(SHOWN, spans.size()))));
        s.append("<table class=\"tbl incidents\"><thead><tr><th>severity</th><th>first seen</th><th>last seen</th>"
                + "<th>dimension</th><th>key</th><th>dataset</th><th>signal</th><th>status</th><th>peak / window</th>"
                + "<th>observed (latest window)</th><th>threshold</th><th>× baseline</th><th>spike windows</th>"
                + "<th>evidence requests (since hot)</th><th>blocked share</th><th>4xx in evidence</th>"
                + "<th>top URIs</th><th>top user agents</th><th>top WAF rules</th><th>sample request ids</th></tr></thead><tbody>");
        for (AlertRow a : all.subList(0, Math.min(SHOWN, all.size()))) {
            AlertRow.Evidence e = a.evidence();
            s.append("<tr><td class=\"sev sev-").append(SvgChart.severityClass(a.severity())).append("\">")
                    .append(Html.value(a.severity())).append("</td><td>").append(context.dateTime(a.startMillis()))
                    .append("</td><td>").append(context.dateTime(a.lastSeen())).append("</td><td>").append(Html.value(a.dimension()))
                    .append("</td><td>").append(Html.value(a.key())).append("</td><td>").append(Html.value(a.dataset()))
                    .append("</td><td>").append(Html.value(a.signal())).append("</td><td>").append(Html.value(a.status()))
                    .append("</td><td class=\"num\">").append(Html.num(a.peak())).append("</td><td class=\"num\">")
                    .append(Html.num(a.observed())).append("</td><td class=\"num\">")
                    .append(String.format(Locale.ROOT, "%,.1f", a.threshold())).append("</td><td class=\"num\">")
                    .append(String.format(Locale.ROOT, "%,.1f", a.ratio())).append("</td><td class=\"num\">")
                    .append(a.spikeWindows()).append("</td>");
            if (e == null) {
                s.append("<td colspan=\"7\">no evidence</td>");
            } else {
                s.append("<td class=\"num\">").append(Html.num(e.requests())).append("</td><td class=\"num\">")
                        .append(Html.pct(e.blockedShare())).append("</td><td class=\"num\">").append(Html.num(e.clientErrors()))
                        .append("</td><td>").append(tops(e.uris())).append("</td><td>").append(tops(e.userAgents()))
                        .append("</td><td>").append(tops(e.rules())).append("</td><td>");
                for (String id : e.sampleRequestIds()) s.append(Html.value(id, 24)).append(' ');
                s.append("</td>");
            }
            s.append("</tr>");
        }
        s.append("</tbody></table>");
        if (all.size() > SHOWN) {
            s.append("<p class=\"note\">").append(Html.num(all.size() - SHOWN)).append(" more incident(s) not shown.</p>");
        }
        return s.toString();
    }

    private static String tops(List<AlertRow.Top> tops) {
        StringBuilder s = new StringBuilder("<ol class=\"top\">");
        for (AlertRow.Top t : tops.subList(0, Math.min(3, tops.size()))) {
            s.append("<li>").append(Html.value(t.value(), 40)).append(" <span class=\"cnt\">").append(Html.num(t.count()))
                    .append("</span></li>");
        }
        return s.append("</ol>").toString();
    }
}
