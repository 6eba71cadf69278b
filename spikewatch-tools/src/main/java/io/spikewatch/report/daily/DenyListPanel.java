package io.spikewatch.report.daily;

import io.spikewatch.analyst.AlertRow;
import io.spikewatch.analyst.DenyCandidate;
import io.spikewatch.analyst.DenyListRule;
import io.spikewatch.analyst.DocumentFilter;
import io.spikewatch.analyst.OutputKind;
import io.spikewatch.analyst.OutputRow;

import java.util.ArrayList;
import java.util.List;

/** The deny-list candidates of the day ({@link DenyListRule}, the same rule as {@code denylist}). */
final class DenyListPanel implements ReportPanel {
    private final DenyListRule rule;
    private final List<AlertRow> alerts = new ArrayList<>();
    private List<DenyCandidate> candidates;

    DenyListPanel(DenyListRule rule) {
        this.rule = rule;
    }

    @Override
    public String id() {
        return "deny-list";
    }

    @Override
    public String title() {
        return "Deny-list candidates";
    }

    /** The same documents as {@link IncidentsPanel}, so one scan serves both. */
    @Override
    public DocumentFilter filter(BusinessDay day) {
        return DocumentFilter.of(OutputKind.ALERTS, day.start(), day.end());
    }

    @Override
    public void accept(OutputRow row) {
        alerts.add((AlertRow) row);
    }

    List<DenyCandidate> candidates() {
        if (candidates == null) candidates = rule.candidates(alerts);
        return candidates;
    }

    @Override
    public String render(ReportContext context) {
        List<DenyCandidate> list = candidates();
        StringBuilder s = new StringBuilder("<p class=\"note\">An IP is proposed when one of its incidents was high or "
                + "critical, it had incidents at " + DenyListRule.REPEATED_INCIDENTS + " or more separate times, the WAF blocked at least "
                + DenyListRule.BLOCKED_SHARE_PERCENT + "% of its evidence requests, or it caused a 4xx (scanner) surge; "
                + "allowlisted ranges never are (" + rule.allowlistedSkipped() + " left out). "
                + "<code>./spikewatch denylist</code> writes these as WAF IP-set inputs.</p>");
        if (list.isEmpty()) return s.append("<p>No candidates in this period.</p>").toString();
        s.append("<table class=\"tbl\"><thead><tr><th>IP</th><th>country</th><th>reason</th><th>incidents</th>"
                + "<th>first seen</th><th>last seen</th><th>suggested expiry</th></tr></thead><tbody>");
        List<SvgChart.Bar> bars = new ArrayList<>();
        for (DenyCandidate c : list) {
            s.append("<tr><td>").append(Html.value(c.cidr())).append("</td><td>").append(Html.value(c.country()))
                    .append("</td><td>").append(Html.value(c.reasonText(), 120)).append("</td><td class=\"num\">")
                    .append(c.incidents()).append("</td><td>").append(context.dateTime(c.firstSeen().toEpochMilli()))
                    .append("</td><td>").append(context.dateTime(c.lastSeen().toEpochMilli())).append("</td><td>")
                    .append(context.dateTime(c.suggestedExpiry().toEpochMilli())).append("</td></tr>");
            bars.add(new SvgChart.Bar(c.ip(), c.evidenceRequests(), c.ip() + ": " + c.reasonText()));
        }
        s.append("</tbody></table>");
        s.append(SvgChart.hbars("Candidates by evidence requests", bars));
        return s.toString();
    }
}
