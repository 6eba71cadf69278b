package io.spikewatch.parsing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.spikewatch.records.AccessEvent;
import io.spikewatch.records.DeadLetterReason;
import io.spikewatch.records.LogSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The Jackson-based WAF parser that {@link WafLogParser} replaced, kept verbatim (but for names) as
 * the reference of the differential test: for any line, the hand-written scanner must accept exactly
 * what this accepts, fail with the same reason (and, for field errors, the same detail) and build
 * an equal event. Test code only; do not use it in the job.
 */
final class JacksonWafReference {

    /**
     * Shared and thread-safe. Field-name interning is off: garbage lines would otherwise push
     * arbitrary keys into the JVM string table; Jackson's own per-factory canonicalization remains.
     */
    private static final JsonFactory JSON =
            JsonFactory.builder().disable(JsonFactory.Feature.INTERN_FIELD_NAMES).build();

    private static final int HEADER_OTHER = 0;
    private static final int HEADER_HOST = 1;
    private static final int HEADER_USER_AGENT = 2;

    /** Per-line parse state; a first field error is remembered so that broken JSON still wins. */
    private static final class State {
        final AccessEvent event = new AccessEvent();
        boolean hasTimestamp;
        boolean hasClientIp;
        int responseCode = -1;
        String fieldError;
    }

    public AccessEvent parse(String line) throws LogParseException {
        if (line == null) throw invalidJson("no input");
        State s = new State();
        // From UTF-8 bytes: Jackson's byte parser and its quad-based name table are much faster than
        // the char-based one (whose name lookups were a fifth of the parse), and the copy is a
        // vectorised array copy for the usual ASCII line.
        try (JsonParser p = JSON.createParser(line.getBytes(StandardCharsets.UTF_8))) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw invalidJson("not a JSON object");
            readRoot(p, s);
            if (p.nextToken() != null) {
                throw invalidJson("trailing content after the JSON object at " + offset(p.currentLocation()));
            }
        } catch (JsonProcessingException e) {
            // Syntax errors, end of input inside the object, stream constraint violations.
            throw invalidJson(jsonError(e));
        } catch (IOException e) {
            throw invalidJson(e.getClass().getSimpleName());
        }
        return finish(s);
    }

    private static void readRoot(JsonParser p, State s) throws IOException {
        AccessEvent e = s.event;
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "timestamp" -> readTimestamp(p, t, s);
                case "action" -> readAction(p, t, s);
                case "terminatingRuleId" -> e.terminatingRule = optionalString(p, t);
                case "webaclId" -> e.resource = optionalString(p, t);
                case "responseCodeSent" -> readResponseCode(p, t, s);
                case "httpRequest" -> {
                    if (t == JsonToken.START_OBJECT) {
                        readHttpRequest(p, s);
                    } else if (t != JsonToken.VALUE_NULL) {
                        p.skipChildren();
                        fieldError(s, "httpRequest is not an object");
                    }
                }
                default -> p.skipChildren();
            }
        }
    }

    private static void readHttpRequest(JsonParser p, State s) throws IOException {
        AccessEvent e = s.event;
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "clientIp" -> readClientIp(p, t, s);
                case "country" -> e.country = country(optionalString(p, t));
                case "headers" -> readHeaders(p, t, e);
                case "uri" -> e.uri = optionalString(p, t);
                case "httpMethod" -> e.method = optionalString(p, t);
                case "requestId" -> e.requestId = optionalString(p, t);
                default -> p.skipChildren();
            }
        }
    }

    private static void readTimestamp(JsonParser p, JsonToken t, State s) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT) {
            p.skipChildren();
            fieldError(s, "timestamp is not an integer (epoch millis)");
            return;
        }
        // BIG_INTEGER would make getLongValue() throw; such a value is no epoch-millis anyway.
        JsonParser.NumberType type = p.getNumberType();
        long ts = type == JsonParser.NumberType.BIG_INTEGER ? -1 : p.getLongValue();
        if (ts <= 0) {
            fieldError(s, "timestamp out of range: " + p.getText());
            return;
        }
        s.event.timestamp = ts;
        s.hasTimestamp = true;
    }

    private static void readAction(JsonParser p, JsonToken t, State s) throws IOException {
        if (t != JsonToken.VALUE_STRING) {
            p.skipChildren();
            fieldError(s, "action is not a string");
            return;
        }
        String text = p.getText();
        String action = knownAction(text);
        if (action == null) action = knownAction(text.toUpperCase(Locale.ROOT));
        if (action == null) {
            fieldError(s, "action has unknown value: " + text);
            return;
        }
        s.event.action = action;
    }

    /** Returns the shared constant so events do not each hold their own copy of the action text. */
    private static String knownAction(String text) {
        return switch (text) {
            case "ALLOW" -> "ALLOW";
            case "BLOCK" -> "BLOCK";
            case "COUNT" -> "COUNT";
            case "CAPTCHA" -> "CAPTCHA";
            case "CHALLENGE" -> "CHALLENGE";
            default -> null;
        };
    }

    private static void readResponseCode(JsonParser p, JsonToken t, State s) throws IOException {
        // The documented examples carry "responseCodeSent": null when no custom response was sent.
        if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
            int code = p.getIntValue();
            if (code >= 0 && code <= 999) s.responseCode = code;
        } else {
            p.skipChildren();
        }
    }

    private static void readClientIp(JsonParser p, JsonToken t, State s) throws IOException {
        if (t != JsonToken.VALUE_STRING) {
            p.skipChildren();
            fieldError(s, "httpRequest.clientIp is not a string");
            return;
        }
        String raw = p.getText();
        String ip = ClientIp.canonical(raw);
        if (ip == null) {
            fieldError(s, "httpRequest.clientIp is not an IP literal: " + raw);
            return;
        }
        s.event.clientIp = ip;
        s.hasClientIp = true;
    }

    private static void readHeaders(JsonParser p, JsonToken t, AccessEvent e) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        JsonToken item;
        while ((item = p.nextToken()) != JsonToken.END_ARRAY) {
            if (item == null) return; // end of input: the caller's next read reports the truncation
            if (item != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            readHeader(p, e);
        }
    }

    /**
     * Reads one {name, value} object. The value of a header we do not want is skipped without being
     * decoded (cookies and tokens are large); only when "value" precedes "name" must it be read blind.
     */
    private static void readHeader(JsonParser p, AccessEvent e) throws IOException {
        int kind = -1;
        String value = null;
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            if (name.equals("name") && t == JsonToken.VALUE_STRING) {
                kind = headerKind(p.getText());
            } else if (name.equals("value") && t == JsonToken.VALUE_STRING && kind != HEADER_OTHER) {
                value = p.getText();
            } else {
                p.skipChildren();
            }
        }
        if (value == null || value.isEmpty()) return;
        if (kind == HEADER_HOST && e.host == null) e.host = value;
        else if (kind == HEADER_USER_AGENT && e.userAgent == null) e.userAgent = value;
    }

    private static int headerKind(String headerName) {
        if (headerName.equalsIgnoreCase("host")) return HEADER_HOST;
        if (headerName.equalsIgnoreCase("user-agent")) return HEADER_USER_AGENT;
        return HEADER_OTHER;
    }

    /** Optional string: null, empty, or any non-string value (skipped) gives null. */
    private static String optionalString(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.VALUE_STRING) {
            p.skipChildren();
            return null;
        }
        String text = p.getText();
        return text.isEmpty() ? null : text;
    }

    /** ISO 3166-1 alpha-2 in upper case; WAF writes {@code -} when it cannot tell. */
    private static String country(String raw) {
        if (raw == null || raw.length() != 2) return null;
        char a = raw.charAt(0);
        char b = raw.charAt(1);
        if (!isAsciiLetter(a) || !isAsciiLetter(b)) return null;
        if (a <= 'Z' && b <= 'Z') return raw;
        return new String(new char[] {Character.toUpperCase(a), Character.toUpperCase(b)});
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static AccessEvent finish(State s) throws LogParseException {
        if (s.fieldError != null) throw invalidField(s.fieldError);
        AccessEvent e = s.event;
        if (!s.hasTimestamp) throw invalidField("missing field timestamp");
        if (e.action == null) throw invalidField("missing field action");
        if (!s.hasClientIp) throw invalidField("missing field httpRequest.clientIp");
        e.source = LogSource.WAF;
        if (s.responseCode >= 0) e.status = s.responseCode;
        else e.status = e.isBlocked() ? 403 : 0; // WAF's default block response is 403
        return e;
    }

    private static void fieldError(State s, String detail) {
        if (s.fieldError == null) s.fieldError = detail;
    }

    /** Jackson's message without its source excerpt (the excerpt is kept in the dead letter). */
    private static String jsonError(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String msg = e.getOriginalMessage();
        return at == null ? msg : msg + " at " + offset(at);
    }

    /** Where in the line: the parser reads UTF-8 bytes, so the offset is a byte offset. */
    private static String offset(JsonLocation at) {
        return at.getCharOffset() >= 0 ? "char " + at.getCharOffset() : "byte " + at.getByteOffset();
    }

    private static LogParseException invalidJson(String detail) {
        return new LogParseException(DeadLetterReason.WAF_INVALID_JSON, detail);
    }

    private static LogParseException invalidField(String detail) {
        return new LogParseException(DeadLetterReason.WAF_INVALID_FIELD, detail);
    }
}
