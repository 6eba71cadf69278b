package io.spikewatch.report.daily;

import io.spikewatch.analyst.DenyListRule;
import io.spikewatch.analyst.DocumentFilter;
import io.spikewatch.analyst.DocumentSource;
import io.spikewatch.analyst.OutputRow;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The analyst's daily check as one self-contained HTML file: the panels of one business day, read
 * from a replay folder or OpenSearch through the same {@link DocumentFilter}s. Styles are inline,
 * charts are inline SVG, there is no script, and a Content-Security-Policy forbids scripts and
 * every network fetch, so the file shows the same offline, in a mail attachment or an archive.
 */
public final class DailyReport {
    private static final String STYLE = """
            body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1400px}
            h1{font-size:22px;margin:0 0 4px} h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ccc}
            .meta{color:#555} .note{color:#555;font-size:12px;max-width:900px}
            .tbl{border-collapse:collapse;margin:8px 0;font-size:12px} .tbl th,.tbl td{border:1px solid #ddd;padding:3px 6px;vertical-align:top;text-align:left}
            .tbl th{background:#f3f3f3} .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
            .v{unicode-bidi:isolate;overflow-wrap:anywhere} .top{margin:0;padding-left:16px} .cnt{color:#777}
            .chart{display:block;margin:8px 0} .chart .lbl,.chart .val{font-size:11px;fill:#333}
            .sev-critical{background:#f5b7b1;fill:#c0392b} .sev-high{background:#fad7a0;fill:#e67e22}
            .sev-medium{background:#fcf3cf;fill:#d4ac0d} .sev-low{background:#eaf2f8;fill:#5dade2} .sev-unknown{fill:#999}
            nav a{margin-right:12px}
            """;

    private final List<ReportPanel> panels;
    private final BusinessDay day;

    public DailyReport(BusinessDay day, DenyListRule rule) {
        this.day = day;
        this.panels = List.of(new TrafficPanel(), new TrendPanel(), TopKeysPanel.countries(), TopKeysPanel.ips(),
                new IncidentsPanel(), new DenyListPanel(rule), new DeadLettersPanel());
    }

    /** Reads the documents: one scan per distinct filter, feeding every panel that asked for it. */
    public DailyReport load(DocumentSource source) throws IOException {
        Map<DocumentFilter, List<ReportPanel>> scans = new LinkedHashMap<>();
        for (ReportPanel p : panels) scans.computeIfAbsent(p.filter(day), f -> new ArrayList<>()).add(p);
        for (Map.Entry<DocumentFilter, List<ReportPanel>> scan : scans.entrySet()) {
            List<ReportPanel> readers = scan.getValue();
            Consumer<OutputRow> feed = readers.size() == 1 ? readers.get(0)::accept : row -> {
                for (ReportPanel p : readers) p.accept(row);
            };
            source.scan(scan.getKey(), feed);
        }
        return this;
    }

    List<ReportPanel> panels() {
        return panels;
    }

    public String render(String sourceDescription, Instant generatedAt) {
        ReportContext context = new ReportContext(day);
        StringBuilder s = new StringBuilder(256 * 1024);
        s.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">")
                .append("<title>spikewatch daily check ").append(day.date()).append("</title><style>").append(STYLE)
                .append("</style></head><body>");
        s.append("<h1>spikewatch daily check, ").append(day.date()).append("</h1>");
        s.append("<p class=\"meta\">Business day ").append(context.dateTime(day.start().toEpochMilli())).append(" to ")
                .append(context.dateTime(day.end().toEpochMilli())).append(" (").append(Html.escape(day.zone().getId()))
                .append(", cut-off ").append(day.cutoff()).append("). Source: ").append(Html.text(sourceDescription, 300))
                .append(". Generated ").append(DateTimeFormatter.ISO_INSTANT.format(generatedAt)).append(".</p>");
        s.append("<nav>");
        for (ReportPanel p : panels) s.append("<a href=\"#").append(p.id()).append("\">").append(Html.escape(p.title())).append("</a>");
        s.append("</nav>");
        for (ReportPanel p : panels) {
            s.append("<section class=\"panel\" id=\"").append(p.id()).append("\"><h2>").append(Html.escape(p.title()))
                    .append("</h2>").append(p.render(context)).append("</section>");
        }
        s.append("<p class=\"note\">Countries of ALB clients come from the job's country database (by default DB-IP "
                + "IP to Country Lite, db-ip.com, CC BY 4.0); WAF logs carry their own.</p>");
        s.append("</body></html>\n");
        return s.toString();
    }
}
