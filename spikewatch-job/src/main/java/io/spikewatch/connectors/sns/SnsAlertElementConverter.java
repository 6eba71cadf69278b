package io.spikewatch.connectors.sns;

import io.spikewatch.records.DocumentIds;
import io.spikewatch.records.AlertDocument;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Turns an alert opening or escalation into one SNS PublishBatch entry: the alert document's JSON as
 * the body ({@link AlertMessageBody}, capped below the SNS limit), a short ASCII subject for e-mail
 * subscribers, and message attributes subscribers filter on ({@code severity}, {@code dimension},
 * {@code dataset}, {@code country}, {@code change}, {@code signal}).
 *
 * <p>Alert keys come from log fields an attacker controls, so the subject keeps printable ASCII
 * only (SNS rejects line breaks and control characters in subjects, and a bidi override or a
 * look-alike would mislead a reader) and attribute values are capped and stripped of characters
 * SNS does not accept.
 *
 * <p>FIFO topics ({@code .fifo}) get the alert id as message group (an incident's messages stay in
 * order) and alert id + change + severity as deduplication id, so a re-sent entry within SNS's
 * five-minute window is delivered once.
 *
 * <p>An async sink cannot drop elements in its converter, so {@link SnsSinkWriter} skips what
 * {@link #shouldPublish} rejects before conversion; callers can pass the whole alert stream.
 */
public final class SnsAlertElementConverter implements ElementConverter<AlertDocument, PublishBatchRequestEntry> {
    /** SNS wants subjects "less than 100 characters". */
    public static final int MAX_SUBJECT_CHARS = 99;
    static final int MAX_SUBJECT_KEY_CHARS = 48;
    static final int MAX_SUBJECT_WORD_CHARS = 16;
    static final int MAX_ATTRIBUTE_CHARS = 256;
    static final int MAX_FIFO_ID_CHARS = 128;

    private final boolean fifo;
    private final int maxMessageBytes;

    public SnsAlertElementConverter(SnsSettings settings) {
        this(settings.isFifo(), settings.maxMessageBytes());
    }

    SnsAlertElementConverter(boolean fifo, int maxMessageBytes) {
        this.fifo = fifo;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** Only openings and escalations are published; updates and resolutions go to the index only. */
    public static boolean shouldPublish(AlertDocument alert) {
        return alert != null
                && (AlertDocument.CHANGE_OPEN.equals(alert.change) || AlertDocument.CHANGE_ESCALATION.equals(alert.change));
    }

    @Override
    public PublishBatchRequestEntry apply(AlertDocument alert, SinkWriter.Context context) {
        PublishBatchRequestEntry.Builder entry = PublishBatchRequestEntry.builder()
                // unique within any batch (SNS rejects repeated ids); kept across retries of this entry
                .id(UUID.randomUUID().toString())
                .message(AlertMessageBody.render(alert, maxMessageBytes))
                .subject(subject(alert))
                .messageAttributes(attributes(alert));
        if (fifo) {
            String group = groupId(alert);
            entry.messageGroupId(group).messageDeduplicationId(deduplicationId(group, alert));
        }
        return entry.build();
    }

    /**
     * E.g. {@code [spikewatch] HIGH ip 203.0.113.9 requests spike (aws.waf)}; escalations read
     * {@code [spikewatch] ESCALATED CRITICAL ...}. Printable ASCII, at most {@value #MAX_SUBJECT_CHARS} chars.
     */
    public static String subject(AlertDocument alert) {
        String severity = ascii(alert.severity, MAX_SUBJECT_WORD_CHARS).toUpperCase(Locale.ROOT);
        String head = "[spikewatch] "
                + (AlertDocument.CHANGE_ESCALATION.equals(alert.change) ? "ESCALATED " : "")
                + severity + " " + ascii(alert.dimension, MAX_SUBJECT_WORD_CHARS) + " ";
        String tail = " " + signalWords(alert.signal) + " (" + ascii(alert.dataset, MAX_SUBJECT_WORD_CHARS) + ")";
        int keyBudget = Math.min(MAX_SUBJECT_KEY_CHARS, MAX_SUBJECT_CHARS - head.length() - tail.length());
        String subject = head + ascii(alert.key, Math.max(keyBudget, 4)) + tail;
        return subject.length() <= MAX_SUBJECT_CHARS ? subject : subject.substring(0, MAX_SUBJECT_CHARS);
    }

    /** String attributes for subscription filter policies; absent values (e.g. no country) are omitted. */
    public static Map<String, MessageAttributeValue> attributes(AlertDocument alert) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        put(attributes, "severity", alert.severity);
        put(attributes, "dimension", alert.dimension);
        put(attributes, "dataset", alert.dataset);
        put(attributes, "country", alert.country);
        put(attributes, "change", alert.change);
        put(attributes, "signal", alert.signal);
        return attributes;
    }

    /** The alert id (32 hex chars); a stable hash of the incident's identity if it is missing or odd. */
    static String groupId(AlertDocument alert) {
        String id = alert.alertId;
        if (id != null && id.matches("[A-Za-z0-9_-]{1,64}")) return id;
        return DocumentIds.alertId(alert.dataset, alert.dimension, alert.key, alert.signal, alert.firstSeen);
    }

    /** Same incident, same change, same severity: the same message, whichever attempt carried it. */
    static String deduplicationId(String groupId, AlertDocument alert) {
        String id = groupId + "-" + token(alert.change) + "-" + token(alert.severity);
        return id.length() <= MAX_FIFO_ID_CHARS ? id : id.substring(0, MAX_FIFO_ID_CHARS);
    }

    private static String signalWords(String signal) {
        if ("client_errors".equals(signal)) return "4xx spike";
        if (signal == null || signal.isEmpty() || "requests".equals(signal)) return "requests spike";
        return ascii(signal, MAX_SUBJECT_WORD_CHARS) + " spike";
    }

    /**
     * Printable ASCII only: whitespace and control characters become one space, any other character
     * (non-ASCII letters, emoji, bidi overrides) one '?'; capped at {@code max} with "..." when cut.
     */
    static String ascii(String text, int max) {
        if (text == null || text.isEmpty()) return "-";
        StringBuilder out = new StringBuilder(Math.min(text.length(), max + 3));
        boolean lastSpace = false;
        boolean lastUnknown = false;
        for (int i = 0; i < text.length() && out.length() <= max; ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp > 0x20 && cp < 0x7f) {
                out.append((char) cp);
                lastSpace = lastUnknown = false;
            } else if (cp <= 0x20 || cp == 0x7f || Character.isWhitespace(cp) || Character.isISOControl(cp)) {
                if (!lastSpace && out.length() > 0) out.append(' ');
                lastSpace = true;
                lastUnknown = false;
            } else {
                if (!lastUnknown) out.append('?');
                lastUnknown = true;
                lastSpace = false;
            }
        }
        String s = out.toString().strip();
        if (s.isEmpty()) return "-";
        if (s.length() > max) s = s.substring(0, Math.max(1, max - 3)).strip() + "...";
        return s;
    }

    private static void put(Map<String, MessageAttributeValue> attributes, String name, String value) {
        String clean = attributeText(value);
        if (clean.isEmpty()) return;
        attributes.put(name, MessageAttributeValue.builder().dataType("String").stringValue(clean).build());
    }

    /** Drops characters SNS refuses in attribute values (XML-invalid ones) and caps the length. */
    static String attributeText(String value) {
        if (value == null) return "";
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_ATTRIBUTE_CHARS));
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            int n = Character.charCount(cp);
            i += n;
            boolean valid = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF)
                    || (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
            if (!valid) continue;
            if (out.length() + n > MAX_ATTRIBUTE_CHARS) break;
            out.appendCodePoint(cp);
        }
        return out.toString().strip();
    }

    private static String token(String text) {
        if (text == null) return "none";
        String t = text.replaceAll("[^A-Za-z0-9_]", "");
        if (t.isEmpty()) return "none";
        return t.length() > 24 ? t.substring(0, 24) : t;
    }
}
