package io.spikewatch.parsing;

import io.spikewatch.parsing.JsonByteScanner.KnownStrings;
import io.spikewatch.parsing.JsonByteScanner.NameTable;
import io.spikewatch.records.AccessEvent;
import io.spikewatch.records.CountryCodes;
import io.spikewatch.records.DeadLetterReason;
import io.spikewatch.records.LogSource;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Parses one AWS WAF (v2) log record — a JSON object per line, as documented in "Log fields for
 * web ACL traffic" — into an {@link AccessEvent} with {@code source = WAF}.
 *
 * <p>Input: one line of JSON, as UTF-8 bytes (plain records, from {@link RecordDecoder} without a
 * String ever being made) or as a String. Output: the event, or a {@link LogParseException} with
 * {@code WAF_INVALID_JSON} (not JSON, truncated, trailing content; the detail gives a UTF-8 byte
 * offset) or {@code WAF_INVALID_FIELD} (a required field missing or of the wrong type; the detail
 * names the field).
 *
 * <p>Mapping: {@code timestamp} (epoch ms, required), {@code action} (required, one of ALLOW, BLOCK,
 * COUNT, CAPTCHA, CHALLENGE), {@code terminatingRuleId}, {@code webaclId} → resource,
 * {@code responseCodeSent} → status (absent or null: 403 for BLOCK, else 0), and from
 * {@code httpRequest}: {@code clientIp} (required IP literal, IPv6 canonicalized, see
 * {@link ClientIp}), {@code country} ({@code -}, missing or not two letters → null, else upper
 * case), headers {@code Host} and {@code User-Agent} (names case-insensitive, first occurrence wins),
 * {@code uri} (without {@code args}), {@code httpMethod}, {@code requestId}. Empty strings become
 * null (the event uses null for "absent"). A field given twice is read twice (the last value
 * stands, any error in either counts).
 *
 * <p>Why a hand-written scanner ({@link JsonByteScanner}) instead of a general JSON library, whose
 * acceptance it reproduces: this runs once per request on the hot path and maps ~10 fields out of
 * ~1.2 KB of JSON (rule match details, all headers, labels). A general parser creates a parser per
 * record, canonicalizes every field name and materializes values that are then dropped; comparing
 * names as bytes and skipping values without decoding them costs far less. Member names are
 * confirmed against the names the last records had in that place ({@link NameTable}) rather than
 * scanned and looked up, because records repeat the same members in the same order.
 *
 * <p>What it guarantees: the whole line is checked as strict JSON (a syntax error anywhere, in
 * fields we skip too, is {@code WAF_INVALID_JSON}, and wins over field errors: a truncated line is
 * a transport problem); only the strings we keep are decoded (all JSON escapes, surrogate pairs
 * written as two {@code \}{@code uXXXX} escapes included); names are compared by their decoded
 * value (an escaped name still matches); nesting is capped at {@value JsonByteScanner#MAX_DEPTH}
 * levels and skipping uses no stack per level. WafLogParserDifferentialTest checks acceptance,
 * reasons and events against the Jackson-based parser on ~40k random and mutated records.
 *
 * <p>Optional fields of the wrong type are ignored (left null) rather than rejected: a request that
 * happened is still worth counting even if, say, its headers are malformed. Required fields are
 * strict because without time, action or client the event cannot be keyed or windowed.
 *
 * <p>Not thread-safe: one instance per thread (each {@link LogLineParser}, so each parsing
 * subtask, has its own). Its only state is {@link Repeated} values and the member names of the
 * last records ({@link NameTable}), neither of which ever changes a result.
 */
public class WafLogParser implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final KnownStrings ROOT_FIELDS = new KnownStrings(
            "timestamp", "action", "terminatingRuleId", "webaclId", "responseCodeSent", "httpRequest");
    private static final int TIMESTAMP = 0;
    private static final int ACTION = 1;
    private static final int TERMINATING_RULE_ID = 2;
    private static final int WEBACL_ID = 3;
    private static final int RESPONSE_CODE_SENT = 4;
    private static final int HTTP_REQUEST = 5;

    private static final KnownStrings REQUEST_FIELDS = new KnownStrings(
            "clientIp", "country", "headers", "uri", "httpMethod", "requestId");
    private static final int CLIENT_IP = 0;
    private static final int COUNTRY = 1;
    private static final int HEADERS = 2;
    private static final int URI = 3;
    private static final int HTTP_METHOD = 4;
    private static final int REQUEST_ID = 5;

    private static final KnownStrings HEADER_FIELDS = new KnownStrings("name", "value");
    private static final int HEADER_NAME = 0;
    private static final int HEADER_VALUE = 1;

    /** Indexes are the HEADER_ kinds below. */
    private static final KnownStrings WANTED_HEADERS = new KnownStrings("host", "user-agent");
    private static final int HEADER_OTHER = -2;
    private static final int HEADER_HOST = 0;
    private static final int HEADER_USER_AGENT = 1;

    /** In the event as these constants, so events do not each hold their own copy of the text. */
    private static final KnownStrings ACTIONS = new KnownStrings("ALLOW", "BLOCK", "COUNT", "CAPTCHA", "CHALLENGE");
    private static final KnownStrings METHODS =
            new KnownStrings("GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE");

    /**
     * A field's last value, with its bytes as written, handed out again while the field repeats: a
     * record stream carries one or a few web ACLs (an ARN of ~100 characters), rules and hosts, and
     * decoding them for every record would allocate a new string per field and event. The same
     * bytes as written always decode to the same text, so a match is the value.
     */
    private static final class Repeated {
        /** Values longer than this are decoded every time (they are not worth keeping). */
        static final int MAX_BYTES = 256;
        private byte[] raw;
        private String text;

        /** The string just read (non-empty), decoded or as last time. */
        String value(JsonByteScanner json) {
            if (raw != null && json.stringRawEquals(raw)) return text;
            String value = json.stringValue();
            if (json.stringRawLength() <= MAX_BYTES) {
                raw = json.stringRaw();
                text = value;
            }
            return value;
        }
    }

    private transient Repeated webAcls;
    private transient Repeated rules;
    private transient Repeated hosts;
    /** The member names of the three kinds of object read, as the last records had them. */
    private transient NameTable rootNames;
    private transient NameTable requestNames;
    private transient NameTable headerNames;

    /** Per-line parse state; a first field error is remembered so that broken JSON still wins. */
    private static final class State {
        final AccessEvent event = new AccessEvent();
        final WafLogParser parser;
        boolean hasTimestamp;
        boolean hasClientIp;
        int responseCode = -1;
        String fieldError;

        State(WafLogParser parser) {
            this.parser = parser;
        }
    }

    public AccessEvent parse(String line) throws LogParseException {
        if (line == null) throw invalidJson("no input");
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return parse(b, 0, b.length);
    }

    /** Parses the line {@code b[from, to)}, valid UTF-8 (as {@link RecordDecoder} checks it). */
    public AccessEvent parse(byte[] b, int from, int to) throws LogParseException {
        JsonByteScanner json = new JsonByteScanner(b, from, to);
        if (webAcls == null) { // a new or deserialized parser
            webAcls = new Repeated();
            rules = new Repeated();
            hosts = new Repeated();
            rootNames = new NameTable(ROOT_FIELDS);
            requestNames = new NameTable(REQUEST_FIELDS);
            headerNames = new NameTable(HEADER_FIELDS);
        }
        State s = new State(this);
        json.beginDocument();
        readRoot(json, s);
        json.endDocument();
        return finish(s);
    }

    private static void readRoot(JsonByteScanner json, State s) throws LogParseException {
        AccessEvent e = s.event;
        NameTable names = s.parser.rootNames;
        if (!json.enterObject(names)) return;
        do {
            switch (json.nameIndex()) {
                case TIMESTAMP -> readTimestamp(json, s);
                case ACTION -> readAction(json, s);
                case TERMINATING_RULE_ID -> e.terminatingRule = optionalString(json, s.parser.rules);
                case WEBACL_ID -> e.resource = optionalString(json, s.parser.webAcls);
                case RESPONSE_CODE_SENT -> readResponseCode(json, s);
                case HTTP_REQUEST -> {
                    int t = json.peek();
                    if (t == '{') {
                        readHttpRequest(json, s);
                    } else {
                        json.skipValue();
                        if (t != 'n') fieldError(s, "httpRequest is not an object"); // null is allowed
                    }
                }
                default -> json.skipValue();
            }
        } while (json.nextMember(names));
    }

    private static void readHttpRequest(JsonByteScanner json, State s) throws LogParseException {
        AccessEvent e = s.event;
        NameTable names = s.parser.requestNames;
        if (!json.enterObject(names)) return;
        do {
            switch (json.nameIndex()) {
                case CLIENT_IP -> readClientIp(json, s);
                case COUNTRY -> e.country = readCountry(json);
                case HEADERS -> readHeaders(json, e, s.parser);
                case URI -> e.uri = optionalString(json);
                case HTTP_METHOD -> e.method = optionalString(json, METHODS);
                case REQUEST_ID -> e.requestId = optionalString(json);
                default -> json.skipValue();
            }
        } while (json.nextMember(names));
    }

    private static void readTimestamp(JsonByteScanner json, State s) throws LogParseException {
        int t = json.peek();
        if (t != '-' && (t < '0' || t > '9')) {
            json.skipValue();
            fieldError(s, "timestamp is not an integer (epoch millis)");
            return;
        }
        if (!json.readNumber()) {
            fieldError(s, "timestamp is not an integer (epoch millis)");
            return;
        }
        // Beyond a long (Long.MIN_VALUE here) is no epoch-millis either.
        long ts = json.integerValue();
        if (ts <= 0) {
            fieldError(s, "timestamp out of range: " + json.numberText());
            return;
        }
        s.event.timestamp = ts;
        s.hasTimestamp = true;
    }

    private static void readAction(JsonByteScanner json, State s) throws LogParseException {
        if (json.peek() != '"') {
            json.skipValue();
            fieldError(s, "action is not a string");
            return;
        }
        json.readString();
        int known = json.stringIndex(ACTIONS);
        if (known >= 0) {
            s.event.action = ACTIONS.text[known];
            return;
        }
        String text = json.stringValue();
        String action = knownAction(text.toUpperCase(Locale.ROOT));
        if (action == null) {
            fieldError(s, "action has unknown value: " + text);
            return;
        }
        s.event.action = action;
    }

    private static String knownAction(String text) {
        for (String a : ACTIONS.text) {
            if (a.equals(text)) return a;
        }
        return null;
    }

    private static void readResponseCode(JsonByteScanner json, State s) throws LogParseException {
        // The documented examples carry "responseCodeSent": null when no custom response was sent.
        int t = json.peek();
        if (t == '-' || (t >= '0' && t <= '9')) {
            if (json.readNumber()) {
                long code = json.integerValue();
                if (code >= 0 && code <= 999) s.responseCode = (int) code;
            }
        } else {
            json.skipValue();
        }
    }

    private static void readClientIp(JsonByteScanner json, State s) throws LogParseException {
        if (json.peek() != '"') {
            json.skipValue();
            fieldError(s, "httpRequest.clientIp is not a string");
            return;
        }
        json.readString();
        String raw = json.stringValue();
        String ip = ClientIp.canonical(raw);
        if (ip == null) {
            fieldError(s, "httpRequest.clientIp is not an IP literal: " + raw);
            return;
        }
        s.event.clientIp = ip;
        s.hasClientIp = true;
    }

    private static String readCountry(JsonByteScanner json) throws LogParseException {
        if (json.peek() != '"') {
            json.skipValue();
            return null;
        }
        json.readString();
        if (json.stringIsPlainAscii() && json.stringRawLength() == 2) {
            return CountryCodes.of(json.stringRawByte(0), json.stringRawByte(1));
        }
        return country(json.stringIsEmpty() ? null : json.stringValue());
    }

    private static void readHeaders(JsonByteScanner json, AccessEvent e, WafLogParser parser) throws LogParseException {
        if (json.peek() != '[') {
            json.skipValue();
            return;
        }
        if (!json.enterArray()) return;
        do {
            if (json.peek() == '{') readHeader(json, e, parser.headerNames, parser.hosts);
            else json.skipValue();
        } while (json.nextElement());
    }

    /**
     * Reads one {name, value} object. The value of a header we do not want is skipped without being
     * decoded (cookies and tokens are large); only when "value" precedes "name" must it be read blind.
     */
    private static void readHeader(JsonByteScanner json, AccessEvent e, NameTable names, Repeated hosts)
            throws LogParseException {
        int kind = -1;
        String value = null;
        if (json.enterObject(names)) {
            do {
                int field = json.nameIndex();
                int t = json.peek();
                if (field == HEADER_NAME && t == '"') {
                    json.readString();
                    int wanted = json.stringIndexIgnoreCase(WANTED_HEADERS);
                    kind = wanted < 0 ? HEADER_OTHER : wanted;
                } else if (field == HEADER_VALUE && t == '"' && kind != HEADER_OTHER) {
                    json.readString();
                    value = kind == HEADER_HOST && !json.stringIsEmpty() ? hosts.value(json) : json.stringValue();
                } else {
                    json.skipValue();
                }
            } while (json.nextMember(names));
        }
        if (value == null || value.isEmpty()) return;
        if (kind == HEADER_HOST && e.host == null) e.host = value;
        else if (kind == HEADER_USER_AGENT && e.userAgent == null) e.userAgent = value;
    }

    /** Optional string: null, empty, or any non-string value (skipped) gives null. */
    private static String optionalString(JsonByteScanner json) throws LogParseException {
        if (json.peek() != '"') {
            json.skipValue();
            return null;
        }
        json.readString();
        return json.stringIsEmpty() ? null : json.stringValue();
    }

    /** {@link #optionalString(JsonByteScanner)} for a field whose values repeat. */
    private static String optionalString(JsonByteScanner json, Repeated repeated) throws LogParseException {
        if (json.peek() != '"') {
            json.skipValue();
            return null;
        }
        json.readString();
        return json.stringIsEmpty() ? null : repeated.value(json);
    }

    /** {@link #optionalString(JsonByteScanner)}, returning the constant when the value is one of {@code common}. */
    private static String optionalString(JsonByteScanner json, KnownStrings common) throws LogParseException {
        if (json.peek() != '"') {
            json.skipValue();
            return null;
        }
        json.readString();
        if (json.stringIsEmpty()) return null;
        int known = json.stringIndex(common);
        return known >= 0 ? common.text[known] : json.stringValue();
    }

    /** ISO 3166-1 alpha-2 in upper case; WAF writes {@code -} when it cannot tell. */
    static String country(String raw) {
        if (raw == null || raw.length() != 2) return null;
        return CountryCodes.of(raw.charAt(0), raw.charAt(1));
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

    private static LogParseException invalidJson(String detail) {
        return new LogParseException(DeadLetterReason.WAF_INVALID_JSON, detail);
    }

    private static LogParseException invalidField(String detail) {
        return new LogParseException(DeadLetterReason.WAF_INVALID_FIELD, detail);
    }
}
