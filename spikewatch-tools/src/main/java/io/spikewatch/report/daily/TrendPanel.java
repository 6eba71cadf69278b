package io.spikewatch.report.daily;

import io.spikewatch.analyst.DocumentFilter;
import io.spikewatch.analyst.OutputKind;
import io.spikewatch.analyst.OutputRow;
import io.spikewatch.analyst.RateRow;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The day's total requests against the previous {@value #PREVIOUS_DAYS} business days, per dataset (scope {@code all} rates). */
final class TrendPanel implements ReportPanel {
    static final int PREVIOUS_DAYS = 7;

    /** [dataset][day] requests; day {@value #PREVIOUS_DAYS} is the report's day. */
    final long[][] requests = new long[2][PREVIOUS_DAYS + 1];
    private final boolean[][] present = new boolean[2][PREVIOUS_DAYS + 1];
    private BusinessDay[] days;

    @Override
    public String id() {
        return "trend";
    }

    @Override
    public String title() {
        return "Trend against the previous " + PREVIOUS_DAYS + " days";
    }

    @Override
    public DocumentFilter filter(BusinessDay day) {
        days = new BusinessDay[PREVIOUS_DAYS + 1];
        for (int i = 0; i <= PREVIOUS_DAYS; i++) days[i] = day.minusDays(PREVIOUS_DAYS - i);
        return DocumentFilter.of(OutputKind.RATES, days[0].start(), day.end(), "scope");
    }

    @Override
    public void accept(OutputRow row) {
        RateRow r = (RateRow) row;
        if (!"all".equals(r.key())) return;
        for (int i = PREVIOUS_DAYS; i >= 0; i--) {
            if (r.startMillis() >= days[i].start().toEpochMilli()) {
                int d = Datasets.index(r.dataset());
                requests[d][i] += r.total();
                present[d][i] = true;
                return;
            }
        }
    }

    @Override
    public String render(ReportContext context) {
        StringBuilder s = new StringBuilder("<ul class=\"trend\">");
        List<SvgChart.Series> series = new ArrayList<>();
        for (String dataset : Datasets.ALL) {
            int d = Datasets.index(dataset);
            if (!present[d][PREVIOUS_DAYS]) continue;
            series.add(new SvgChart.Series(Datasets.label(dataset), requests[d]));
            long sum = 0;
            int n = 0;
            for (int i = 0; i < PREVIOUS_DAYS; i++) {
                if (present[d][i]) {
                    sum += requests[d][i];
                    n++;
                }
            }
            s.append("<li>").append(Datasets.label(dataset)).append(": <b>").append(Html.num(requests[d][PREVIOUS_DAYS]))
                    .append("</b> requests");
            if (n == 0) {
                s.append(", no earlier day in the data to compare with");
            } else {
                double mean = (double) sum / n;
                s.append(String.format(Locale.ROOT, ", %+.0f%% against the mean of the %d earlier day(s) with data (%s)",
                        100 * (requests[d][PREVIOUS_DAYS] - mean) / mean, n, Html.num(Math.round(mean))));
            }
            s.append("</li>");
        }
        s.append("</ul>");
        List<String> labels = new ArrayList<>();
        for (BusinessDay day : days) labels.add(day.date().toString().substring(5));
        s.append(SvgChart.columns("Requests per business day", labels, series));
        return s.toString();
    }
}
