package io.spikewatch.cli;

import io.spikewatch.analyst.DenyListRule;
import io.spikewatch.analyst.DocumentSource;
import io.spikewatch.report.daily.BusinessDay;
import io.spikewatch.report.daily.DailyReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.concurrent.Callable;

/** {@code report}: the daily check of one business day as one self-contained HTML file ({@link DailyReport}). */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write the daily check (traffic, trend, top countries and IPs, incidents with evidence, "
                + "deny-list candidates, dead letters) of one business day as one self-contained HTML file.")
public class ReportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DocumentSourceOptions source;

    @Mixin
    AllowlistOptions allowlist;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD",
            description = "Business day ending at the cut-off of this date. Default: the last day ended by now "
                    + "(OpenSearch), the day holding the newest document (--input).")
    String date;

    @Option(names = "--cutoff", defaultValue = "17:00", paramLabel = "HH:MM", description = "Daily cut-off hour. Default: ${DEFAULT-VALUE}.")
    String cutoff;

    @Option(names = "--zone", paramLabel = "ZONE", description = "Time zone of the cut-off, e.g. Asia/Tokyo. Default: the system's.")
    String zone;

    @Option(names = "--out", defaultValue = "report.html", paramLabel = "FILE", description = "HTML file to write. Default: ${DEFAULT-VALUE}.")
    Path out;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws Exception {
        ZoneId zoneId;
        LocalTime cut;
        try {
            zoneId = zone == null ? ZoneId.systemDefault() : ZoneId.of(zone);
            cut = LocalTime.parse(cutoff);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("--zone/--cutoff: " + e.getMessage(), e);
        }
        DocumentSource documents = source.open(clock);
        BusinessDay day;
        if (date != null) {
            try {
                day = new BusinessDay(LocalDate.parse(date), cut, zoneId);
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("--date: '" + date + "' is not YYYY-MM-DD", e);
            }
        } else if (source.isReplayFolder()) {
            day = BusinessDay.containing(documents.referenceTime(), cut, zoneId);
        } else {
            day = BusinessDay.lastEndedBy(clock.instant(), cut, zoneId);
        }
        long started = System.nanoTime();
        DailyReport report = new DailyReport(day, new DenyListRule(allowlist.load())).load(documents);
        String html = report.render(documents.describe(), clock.instant());
        if (out.getParent() != null) Files.createDirectories(out.getParent());
        Files.writeString(out, html, StandardCharsets.UTF_8);
        PrintWriter o = spec.commandLine().getOut();
        o.printf("report: business day %s (%s to %s) -> %s, %,d bytes in %.1f s%n", day.date(), day.start(), day.end(), out,
                Files.size(out), (System.nanoTime() - started) / 1e9);
        o.flush();
        return 0;
    }
}
