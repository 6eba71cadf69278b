package io.spikewatch.report.daily;

import io.spikewatch.analyst.DocumentFilter;
import io.spikewatch.analyst.OutputRow;

/**
 * One section of the daily report, defined once for both document sources: which documents it
 * reads ({@link #filter}), how it folds them ({@link #accept}) and how it draws the result
 * ({@link #render}, a table and an inline SVG chart). {@link DailyReport} runs one scan per
 * distinct filter and feeds every panel that asked for it.
 */
interface ReportPanel {
    /** Anchor id of the section (fixed, not from data). */
    String id();

    String title();

    /** Called once, before any {@link #accept}: panels size their buckets for the day here. */
    DocumentFilter filter(BusinessDay day);

    void accept(OutputRow row);

    /** The section body (escaped HTML). */
    String render(ReportContext context);
}
