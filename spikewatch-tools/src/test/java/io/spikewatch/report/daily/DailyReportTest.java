package io.spikewatch.report.daily;

import io.spikewatch.analyst.DenyListRule;
import io.spikewatch.analyst.OutputFixture;
import io.spikewatch.analyst.ReplayFolderSource;
import io.spikewatch.enrichment.CidrSet;
import io.spikewatch.records.AlertDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The panels' figures from a small replay folder, and the escaping of hostile values in the HTML. */
class DailyReportTest {
    static final BusinessDay DAY = new BusinessDay(LocalDate.parse("2026-11-02"), LocalTime.of(17, 0), ZoneId.of("Asia/Tokyo"));
    /** 2026-11-02 09:00 Tokyo, inside the day. */
    static final Instant MORNING = Instant.parse("2026-11-02T00:00:00Z");
    static final String HOSTILE_URI = "/<script>alert(1)</script>\"'</style>\u202Egnp.exe\u0007";
    static final String LONG_AGENT = "A".repeat(10_000);

    /** The day's documents plus ones just outside it, which no figure may include. */
    static OutputFixture fixture() {
        OutputFixture f = new OutputFixture();
        for (String dataset : new String[] {"aws.waf", "aws.elb"}) {
            f.rate(dataset, "scope", "all", MORNING, 1000, 100, 120, 3);
            f.rate(dataset, "scope", "domestic", MORNING, 700, 10, 20, 1);
            f.rate(dataset, "scope", "foreign", MORNING, 300, 90, 100, 2);
            f.rate(dataset, "scope", "all", MORNING.plusSeconds(3600), 500, 0, 0, 0);
            // The previous business day, for the trend only.
            f.rate(dataset, "scope", "all", MORNING.minusSeconds(86_400), 750, 0, 0, 0);
            // The next business day: outside every panel.
            f.rate(dataset, "scope", "all", DAY.end(), 999_999, 0, 0, 0);
        }
        f.rate("aws.waf", "country", "JP", MORNING, 700, 10, 20, 1);
        f.rate("aws.waf", "country", "CN", MORNING, 250, 80, 90, 2);
        f.rate("aws.waf", "country", "CN", MORNING.plusSeconds(60), 30, 0, 0, 0);
        f.rate("aws.waf", "ip", "203.0.113.50", MORNING, 240, 80, 90, 0);
        f.rate("aws.waf", "ip", "<img src=x onerror=alert(1)>", MORNING, 5, 0, 0, 0);
        AlertDocument flood = OutputFixture.alert("flood", "ip", "203.0.113.50", "requests", "critical", MORNING,
                MORNING.plusSeconds(300), 136, 130);
        flood.observed = 250;
        flood.evidence.uris.add(HOSTILE_URI, 1000);
        flood.evidence.userAgents.add(LONG_AGENT.substring(0, 256), 2000);
        flood.evidence.rules.add("</style><script>alert(2)</script>", 3000);
        f.alert(flood);
        f.alert(OutputFixture.alert("surge", "country", "CN", "requests", "medium", MORNING, MORNING.plusSeconds(120), 280, 80));
        f.alert(OutputFixture.alert("old", "ip", "192.0.2.9", "requests", "critical", DAY.start().minusSeconds(7200),
                DAY.start().minusSeconds(3600), 500, 500));
        f.deadLetter("WAF_INVALID_JSON", "{\"uri\":\"<script>alert(3)</script>", MORNING);
        f.deadLetter("WAF_INVALID_JSON", "{broken", MORNING);
        f.deadLetter("ALB_TRUNCATED", "h2 2026", MORNING);
        f.deadLetter("ALB_TRUNCATED", "outside", DAY.end());
        return f;
    }

    static DailyReport report(Path dir) throws Exception {
        return new DailyReport(DAY, new DenyListRule(CidrSet.empty())).load(new ReplayFolderSource(fixture().writeTo(dir)));
    }

    @SuppressWarnings("unchecked")
    static <T extends ReportPanel> T panel(DailyReport r, Class<T> type) {
        return (T) r.panels().stream().filter(type::isInstance).findFirst().orElseThrow();
    }

    @Test
    void trafficTotalsComeFromTheScopeRatesOfTheDayOnly(@TempDir Path dir) throws Exception {
        TrafficPanel traffic = panel(report(dir), TrafficPanel.class);
        assertThat(traffic.total("aws.waf", "all").requests).isEqualTo(1500);
        assertThat(traffic.total("aws.waf", "foreign").blocked).isEqualTo(90);
        assertThat(traffic.total("aws.elb", "domestic").status4xx).isEqualTo(20);
        assertThat(traffic.total("aws.elb", "all").status5xx).isEqualTo(3);
    }

    @Test
    void trendComparesTheDayWithEarlierDays(@TempDir Path dir) throws Exception {
        DailyReport r = report(dir);
        TrendPanel trend = panel(r, TrendPanel.class);
        assertThat(trend.requests[0][TrendPanel.PREVIOUS_DAYS]).isEqualTo(1500);
        assertThat(trend.requests[0][TrendPanel.PREVIOUS_DAYS - 1]).isEqualTo(750);
        assertThat(r.render("fixture", MORNING)).contains("WAF: <b>1,500</b> requests, +100% against the mean of the 1 earlier day(s)");
    }

    @Test
    void topListsSumTheDayPerKey(@TempDir Path dir) throws Exception {
        DailyReport r = report(dir);
        TopKeysPanel countries = (TopKeysPanel) r.panels().stream().filter(p -> p.id().equals("top-country")).findFirst().orElseThrow();
        assertThat(countries.top()).extracting(k -> k.key + "=" + k.seen()).containsExactly("JP=700", "CN=280");
        assertThat(r.render("fixture", MORNING)).contains("rates.ip.min-requests");
    }

    @Test
    void incidentsDeadLettersAndCandidatesOfTheDay(@TempDir Path dir) throws Exception {
        DailyReport r = report(dir);
        assertThat(panel(r, IncidentsPanel.class).sorted()).extracting(a -> a.id()).containsExactly("flood", "surge");
        assertThat(panel(r, DeadLettersPanel.class).byReason).containsEntry("waf_invalid_json", 2L).containsEntry("alb_truncated", 1L);
        assertThat(panel(r, DenyListPanel.class).candidates()).extracting(c -> c.ip() + " " + c.reasonText())
                .containsExactly("203.0.113.50 severe: critical incident; blocked: WAF blocked 96% of 136 requests");
    }

    @Test
    void hostileValuesAreEscapedCappedAndShownAsText(@TempDir Path dir) throws Exception {
        String html = report(dir).render("fixture <b>", MORNING);
        // No tag from the data: the only script-like text is escaped.
        assertThat(html).doesNotContain("<script").doesNotContain("<img").doesNotContain("</style><script")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&lt;/style&gt;\\u202Egnp.exe\\u0007")
                .contains("fixture &lt;b&gt;")
                .doesNotContain("\u202E").doesNotContain("\u0007");
        assertThat(html.indexOf("</style>")).isEqualTo(html.lastIndexOf("</style>"));
        // The 256-character agent is cut in the cell with the full value in the title.
        assertThat(html).contains("title=\"" + "A".repeat(256) + "\"").contains(">" + "A".repeat(40) + "…<");
        assertThat(html).doesNotContain("A".repeat(257));
        // Both counts of the SNS question are there, labelled.
        assertThat(html).contains("observed (latest window)").contains("evidence requests (since hot)");
    }

    @Test
    void everyChartHasMarks(@TempDir Path dir) throws Exception {
        String html = report(dir).render("fixture", MORNING);
        Matcher svg = Pattern.compile("<svg class=\"chart\".*?</svg>", Pattern.DOTALL).matcher(html);
        int charts = 0;
        while (svg.find()) {
            charts++;
            assertThat(svg.group()).contains("class=\"mark");
        }
        assertThat(charts).isEqualTo(8);
        assertThat(html).doesNotContain("no data in this period");
    }
}
