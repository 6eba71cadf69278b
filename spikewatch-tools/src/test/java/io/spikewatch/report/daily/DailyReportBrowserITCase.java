package io.spikewatch.report.daily;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daily report rendered by a real headless Chromium (Debian's package, installed on first use
 * by {@code deploy/local/chromium.sh}): the DOM the browser builds holds the figures, every chart
 * has its marks, the hostile values of {@link DailyReportTest#fixture()} are text nodes, and the
 * page logs no error (no script, no blocked fetch).
 */
class DailyReportBrowserITCase {
    private static String dom;
    private static String console;

    @BeforeAll
    static void render(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("report.html");
        Files.writeString(file, DailyReportTest.report(dir.resolve("replay")).render("fixture", Instant.parse("2026-11-02T00:00:00Z")),
                StandardCharsets.UTF_8);
        Path stderr = dir.resolve("chromium.log");
        Process p = new ProcessBuilder("bash", "deploy/local/chromium.sh", "dump-dom", file.toString())
                .redirectError(stderr.toFile()).start();
        dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        console = Files.readString(stderr, StandardCharsets.UTF_8);
        assertThat(exit).as("chromium.sh dump-dom failed:\n%s", console).isZero();
    }

    @Test
    void theRenderedPageHoldsTheFigures() {
        String text = dom.replaceAll("<[^>]*>", " ");
        assertThat(text).contains("1,500").contains("203.0.113.50/32").contains("waf_invalid_json")
                .contains("+100% against the mean").contains("severe: critical incident");
        assertThat(count(dom, "<section class=\"panel\"")).isEqualTo(7);
    }

    @Test
    void everyChartHasMarks() {
        Matcher svg = Pattern.compile("<svg class=\"chart\".*?</svg>", Pattern.DOTALL).matcher(dom);
        int charts = 0;
        while (svg.find()) {
            charts++;
            assertThat(count(svg.group(), "class=\"mark")).as("marks of chart %d", charts).isPositive();
        }
        assertThat(charts).isEqualTo(8);
    }

    @Test
    void dataIsTextNotMarkup() {
        // The page has no script of its own: any script or img element would come from data.
        assertThat(dom).doesNotContain("<script").doesNotContain("<img");
        assertThat(dom).contains("&lt;script&gt;alert(1)&lt;/script&gt;").contains("&lt;img src=x onerror=alert(1)&gt;")
                .contains("&lt;/style&gt;&lt;script&gt;alert(2)&lt;/script&gt;").contains("\\u202Egnp.exe");
        assertThat(dom).doesNotContain("\u202E");
        // The one style element survived ("</style>" in data did not end it) and the layout classes are there.
        assertThat(count(dom, "<style>")).isEqualTo(1);
        assertThat(count(dom, "<table class=\"tbl")).isEqualTo(6);
        assertThat(dom).contains("class=\"tbl incidents\"").contains("class=\"sev sev-critical\"");
    }

    @Test
    void thePageLogsNoErrors() {
        assertThat(console).doesNotContain("Uncaught").doesNotContain("Content Security Policy")
                .doesNotContain(":ERROR:CONSOLE");
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) n++;
        return n;
    }
}
