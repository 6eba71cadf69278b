package io.spikewatch.report.daily;

import io.spikewatch.analyst.DeadLetterRow;
import io.spikewatch.analyst.DocumentFilter;
import io.spikewatch.analyst.OutputKind;
import io.spikewatch.analyst.OutputRow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Input the job could not use, by reason code, with one example excerpt per reason. */
final class DeadLettersPanel implements ReportPanel {
    private static final Comparator<DeadLetterRow> EARLIEST = Comparator.comparingLong(DeadLetterRow::startMillis)
            .thenComparing(d -> d.rawExcerpt() == null ? "" : d.rawExcerpt());

    final Map<String, Long> byReason = new TreeMap<>();
    private final Map<String, DeadLetterRow> example = new TreeMap<>();

    @Override
    public String id() {
        return "dead-letters";
    }

    @Override
    public String title() {
        return "Dead letters by reason";
    }

    @Override
    public DocumentFilter filter(BusinessDay day) {
        return DocumentFilter.of(OutputKind.DEAD_LETTERS, day.start(), day.end());
    }

    @Override
    public void accept(OutputRow row) {
        DeadLetterRow d = (DeadLetterRow) row;
        String reason = d.reason() == null ? "(none)" : d.reason();
        byReason.merge(reason, 1L, Long::sum);
        // The earliest (then the smallest excerpt) is the example: the same whatever order documents arrive in.
        example.merge(reason, d, (a, b) -> EARLIEST.compare(a, b) <= 0 ? a : b);
    }

    @Override
    public String render(ReportContext context) {
        if (byReason.isEmpty()) return "<p>No dead letters in this period.</p>";
        StringBuilder s = new StringBuilder("<table class=\"tbl\"><thead><tr><th>reason</th><th>count</th>"
                + "<th>example: source</th><th>detail</th><th>raw excerpt</th></tr></thead><tbody>");
        List<SvgChart.Bar> bars = new ArrayList<>();
        for (Map.Entry<String, Long> e : byReason.entrySet()) {
            DeadLetterRow d = example.get(e.getKey());
            s.append("<tr><td>").append(Html.value(e.getKey())).append("</td><td class=\"num\">").append(Html.num(e.getValue()))
                    .append("</td><td>").append(Html.value(d.source())).append("</td><td>").append(Html.value(d.detail()))
                    .append("</td><td><code>").append(Html.value(d.rawExcerpt())).append("</code></td></tr>");
            bars.add(new SvgChart.Bar(e.getKey(), e.getValue(), e.getKey() + ": " + Html.num(e.getValue())));
        }
        s.append("</tbody></table>");
        s.append(SvgChart.hbars("Dead letters by reason", bars));
        return s.toString();
    }
}
