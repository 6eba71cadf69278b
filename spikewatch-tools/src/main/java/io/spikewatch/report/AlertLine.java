package io.spikewatch.report;

import io.spikewatch.records.AlertDocument;
import io.spikewatch.records.DocumentJson;

/**
 * One human-readable line per alert change, for terminals. Keys come from logs (attacker-controlled):
 * control characters are replaced and length is capped so a crafted value cannot forge extra lines
 * or terminal escape sequences.
 */
public final class AlertLine {
    private static final int MAX_KEY_CHARS = 45;

    private AlertLine() {}

    public static String format(AlertDocument a) {
        String what = switch (a.change) {
            case AlertDocument.CHANGE_OPEN -> "OPEN    ";
            case AlertDocument.CHANGE_ESCALATION -> "ESCALATE";
            case AlertDocument.CHANGE_RESOLVE -> "RESOLVED";
            default -> "UPDATE  ";
        };
        return String.format("%s %s %-8s %-7s %-7s %-13s %-45s observed=%d threshold=%.0f baseline=%.1f peak=%d id=%s",
                what, DocumentJson.time(a.timestamp), a.severity, a.dataset, a.dimension, a.signal,
                safe(a.key), a.observed, a.threshold, a.baselineMean, a.peak, a.alertId);
    }

    /** Replaces control and format characters with '?', caps to {@value #MAX_KEY_CHARS} characters. */
    public static String safe(String s) {
        if (s == null) return "-";
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_KEY_CHARS));
        for (int i = 0; i < s.length() && b.length() < MAX_KEY_CHARS; i++) {
            char c = s.charAt(i);
            int type = Character.getType(c);
            boolean unsafe = Character.isISOControl(c) || type == Character.FORMAT
                    || type == Character.SURROGATE || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR;
            b.append(unsafe ? '?' : c);
        }
        if (s.length() > MAX_KEY_CHARS) b.setCharAt(b.length() - 1, '…');
        return b.toString();
    }
}
