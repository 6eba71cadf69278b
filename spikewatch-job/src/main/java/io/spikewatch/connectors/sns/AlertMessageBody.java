package io.spikewatch.connectors.sns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.spikewatch.records.AlertDocument;
import io.spikewatch.records.DocumentJson;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The SNS message body: the alert document's JSON ({@link DocumentJson#alert}, the same as in the
 * alerts index), kept under a byte cap because SNS rejects messages over 256 KiB.
 *
 * <p>Real alerts are a few KiB; only a pathological document (huge evidence lists or keys) is cut.
 * Then the evidence lists are halved, largest first, until the body fits, then the evidence is
 * dropped, then long strings are shortened, and the body says {@code "truncated":true}. The result
 * is always valid JSON, and the alerts index still has the full document.
 */
public final class AlertMessageBody {
    static final String TRUNCATED = "truncated";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> EVIDENCE_LISTS =
            List.of("sample_request_ids", "top_user_agents", "top_uris", "top_rules");
    private static final int SHORT_STRING_CHARS = 256;

    private AlertMessageBody() {}

    public static String render(AlertDocument alert, int maxBytes) {
        String json = DocumentJson.alert(alert);
        if (utf8Length(json) <= maxBytes) return json;
        try {
            ObjectNode doc = (ObjectNode) MAPPER.readTree(json);
            doc.put(TRUNCATED, true);
            String out = MAPPER.writeValueAsString(doc);
            JsonNode evidence = doc.get("evidence");
            while (utf8Length(out) > maxBytes && evidence instanceof ObjectNode e && halveLargestList(e)) {
                out = MAPPER.writeValueAsString(doc);
            }
            if (utf8Length(out) > maxBytes) {
                doc.remove("evidence");
                out = MAPPER.writeValueAsString(doc);
            }
            if (utf8Length(out) > maxBytes) {
                shortenStrings(doc);
                out = MAPPER.writeValueAsString(doc);
            }
            if (utf8Length(out) > maxBytes) {
                out = MAPPER.writeValueAsString(minimal(doc));
            }
            return out;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("an alert document rendered by DocumentJson is valid JSON", e);
        }
    }

    static int utf8Length(String s) {
        // exact UTF-8 length without allocating the bytes for the common (small) case
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n += 1;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else n += 3;
        }
        return n;
    }

    /** Cuts the largest non-empty evidence list to half its entries; false when all are empty. */
    private static boolean halveLargestList(ObjectNode evidence) throws JsonProcessingException {
        ArrayNode largest = null;
        int largestBytes = -1;
        for (String name : EVIDENCE_LISTS) {
            if (evidence.get(name) instanceof ArrayNode list && !list.isEmpty()) {
                int bytes = MAPPER.writeValueAsBytes(list).length;
                if (bytes > largestBytes) {
                    largest = list;
                    largestBytes = bytes;
                }
            }
        }
        if (largest == null) return false;
        int keep = largest.size() / 2;
        while (largest.size() > keep) largest.remove(largest.size() - 1);
        return true;
    }

    private static void shortenStrings(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isTextual()) {
                    field.setValue(TextNode.valueOf(shorten(field.getValue().textValue())));
                } else {
                    shortenStrings(field.getValue());
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual()) array.set(i, TextNode.valueOf(shorten(array.get(i).textValue())));
                else shortenStrings(array.get(i));
            }
        }
    }

    private static String shorten(String s) {
        if (s.length() <= SHORT_STRING_CHARS) return s;
        int end = SHORT_STRING_CHARS;
        if (Character.isHighSurrogate(s.charAt(end - 1))) end--;
        return s.substring(0, end);
    }

    /** Last resort: what a subscriber needs to look the alert up in the index. */
    private static ObjectNode minimal(ObjectNode doc) {
        ObjectNode out = MAPPER.createObjectNode();
        for (String name : List.of("@timestamp", "alert", "event", "dimension")) {
            if (doc.has(name)) out.set(name, doc.get(name));
        }
        out.put(TRUNCATED, true);
        return out;
    }
}
