package io.spikewatch.parsing;

import io.spikewatch.records.DeadLetterReason;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A strict JSON (RFC 8259) reader over one document in a range of UTF-8 bytes, for a caller that
 * wants a handful of values out of a large object: it walks the structure, compares field names and
 * string values with known strings as bytes, and skips everything else — validating it fully, but
 * without decoding or allocating. Only the strings the caller asks for become {@link String}s.
 *
 * <p>Input: {@code b[from, to)}, expected to be valid UTF-8 (bytes of a String, or of a record
 * {@link RecordDecoder} has checked); a leading byte-order mark is skipped. Bytes inside strings
 * are not re-validated: a malformed sequence in a string we keep would be decoded with U+FFFD, one
 * elsewhere is a syntax error like any non-JSON byte. Output: what the caller reads; any syntax
 * error, truncation, or one of the limits below is a {@link LogParseException} with
 * {@code WAF_INVALID_JSON} (this scanner serves {@link WafLogParser}) whose detail ends with
 * {@code at byte N}, N counted from {@code from}.
 *
 * <p>What is accepted is what Jackson's streaming parser (with default features and stream read
 * constraints) accepts: only space, tab, CR and LF between tokens;
 * no comments, single quotes, unquoted names, leading zeros or plus signs, NaN; no raw control
 * characters in strings; only the JSON escapes, {@code \}{@code u} with exactly four hex digits and
 * lone surrogates allowed (they become lone UTF-16 chars); duplicate names allowed. Jackson's limits
 * apply too: nesting deeper than {@value #MAX_DEPTH} (so a hostile line cannot exhaust the stack
 * or, here, the heap: skipping keeps one bit per level), numbers of more than
 * {@value #MAX_NUMBER_DIGITS} digits, names longer than {@value #MAX_NAME_BYTES} UTF-8 bytes.
 * Not matched: Jackson's guessing of UTF-16/32 input from zero bytes (this input is UTF-8 by
 * contract) and its 20M-char limit for strings (lines are capped far below it).
 *
 * <p>Usage: {@link #beginDocument()}, then {@link #enterObject}/{@link #nextMember} (with the
 * {@link NameTable} of the kind of object, then {@link #nameIndex()} for the member's name) and
 * {@link #enterArray()}/{@link #nextElement()} for the containers the caller descends into,
 * {@link #peek()} to see what kind of value comes next and one read or {@link #skipValue()} per
 * value, and {@link #endDocument()}. One instance per document; not thread-safe.
 */
final class JsonByteScanner {
    /** Jackson's {@code StreamReadConstraints} defaults (jackson-core 2.18). */
    static final int MAX_DEPTH = 1000;
    static final int MAX_NUMBER_DIGITS = 1000;
    static final int MAX_NAME_BYTES = 50_000;

    /** Strings to recognize among names or string values, compared as UTF-8 bytes. */
    static final class KnownStrings {
        final String[] text;
        final byte[][] utf8;

        KnownStrings(String... text) {
            this.text = text;
            this.utf8 = new byte[text.length][];
            for (int i = 0; i < text.length; i++) utf8[i] = text[i].getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * The member names of one kind of object (the WAF record's root, its {@code httpRequest}, a
     * header) as the last objects of that kind had them, each linked to the name that followed it,
     * and the index of each in the known names the caller asks about.
     *
     * <p>Why: a WAF record has ~30 member names, always in the order AWS writes them, and scanning
     * each as a string, then comparing it with every known name, is a large part of the parse. The
     * name expected next, with its quotes and colon, is compared with the input in one
     * comparison of words (four masked ones for names of up to 32 bytes, {@link ByteScan#packedEquals});
     * only when that fails (another order, an optional member, whitespace,
     * a first record) is the name scanned and looked up, and learned. A name matches only
     * when the input holds exactly its bytes, which is what scanning would have accepted, so every
     * result is the same either way; only the time differs.
     *
     * <p>Learned: unescaped ASCII names of up to {@value #MAX_LEARNED_BYTES} bytes, at most
     * {@value #MAX_ENTRIES} per table (a hostile stream of new names stops being learned, it is then
     * only scanned). Mutable, per parser: not thread-safe, as its parser.
     */
    static final class NameTable {
        static final int MAX_ENTRIES = 64;
        static final int MAX_LEARNED_BYTES = 64;
        private static final int AT_START = -1;
        private static final int NOT_LEARNED = -2;

        final KnownStrings known;
        /** Per entry: {@code "name":} as bytes, its index in {@link #known} (or -1), the entry that followed it last (or -1). */
        private final byte[][] quoted = new byte[MAX_ENTRIES][];
        private final int[] index = new int[MAX_ENTRIES];
        private final int[] next = new int[MAX_ENTRIES];
        /**
         * Per entry of up to {@link ByteScan#PACKED_BYTES} bytes (nearly every name), its bytes
         * {@link ByteScan#pack packed} at {@code 4 * entry}, for the fixed-width comparison.
         */
        private final long[] words = new long[4 * MAX_ENTRIES];
        private final long[] masks = new long[4 * MAX_ENTRIES];
        private int size;
        private int first = -1;
        /** The entry of the name just read in the object being read, or {@link #AT_START} / {@link #NOT_LEARNED}. */
        private int cursor = AT_START;

        NameTable(KnownStrings known) {
            this.known = known;
        }

        /** The entry expected next in the object being read, or -1. */
        private int expected() {
            if (cursor == AT_START) return first;
            return cursor >= 0 ? next[cursor] : -1;
        }

        /** Records that the name {@code b[from, to)} (unescaped ASCII) came next, with its known index. */
        private void follow(byte[] b, int from, int to, int knownIndex) {
            int len = to - from;
            int entry = -1;
            if (len <= MAX_LEARNED_BYTES) {
                for (int i = 0; i < size && entry < 0; i++) {
                    byte[] q = quoted[i];
                    if (q.length == len + 3 && ByteScan.regionEquals(b, from, q, 1, len)) entry = i;
                }
                if (entry < 0 && size < MAX_ENTRIES) {
                    byte[] q = new byte[len + 3];
                    q[0] = '"';
                    System.arraycopy(b, from, q, 1, len);
                    q[len + 1] = '"';
                    q[len + 2] = ':';
                    entry = size++;
                    quoted[entry] = q;
                    if (q.length <= ByteScan.PACKED_BYTES) ByteScan.pack(q, words, masks, 4 * entry);
                    index[entry] = knownIndex;
                    next[entry] = -1;
                }
            }
            if (entry >= 0) {
                if (cursor == AT_START) first = entry;
                else if (cursor >= 0) next[cursor] = entry;
            }
            cursor = entry >= 0 ? entry : NOT_LEARNED;
        }

        /** The name read came from escapes or non-ASCII text: not learned, nothing expected after it. */
        private void unlearned() {
            cursor = NOT_LEARNED;
        }
    }

    private final byte[] b;
    private final int start;
    private final int end;
    private int pos;
    private int depth;

    /** The last string scanned (a name or a value): content {@code b[strFrom, strTo)}. */
    private int strFrom;
    private int strTo;
    private boolean strEscaped;
    private boolean strNonAscii;

    /** Index in its table's known names of the member name read last through a {@link NameTable}. */
    private int nameIndex = -1;

    /** The last number read: {@code b[numFrom, numTo)}. */
    private int numFrom;
    private int numTo;

    JsonByteScanner(byte[] b, int from, int to) {
        this.b = b;
        this.start = from;
        this.end = to;
        this.pos = from;
        if (to - from >= 3 && b[from] == (byte) 0xEF && b[from + 1] == (byte) 0xBB && b[from + 2] == (byte) 0xBF) {
            pos += 3;
        }
    }

    // ---- document and containers ----------------------------------------------------------------

    /** Moves to the document's object, for {@link #enterObject}; anything else is "not a JSON object". */
    void beginDocument() throws LogParseException {
        skipWhitespace();
        if (pos == end || b[pos] != '{') throw new LogParseException(DeadLetterReason.WAF_INVALID_JSON, "not a JSON object");
    }

    /** After the document's object: only whitespace may follow. */
    void endDocument() throws LogParseException {
        skipWhitespace();
        if (pos < end) throw error("trailing content after the JSON object", pos);
    }

    /**
     * Consumes <code>&#123;</code> (the next value, see {@link #peek()}): true and positioned at the
     * first member's value (its name read, see {@link #nameIndex}), or false for an empty object.
     * {@code names} is the table of this kind of object; no other object may be read with it until
     * this one is done.
     */
    boolean enterObject(NameTable names) throws LogParseException {
        open();
        skipWhitespace();
        if (pos < end && b[pos] == '}') {
            pos++;
            depth--;
            return false;
        }
        names.cursor = NameTable.AT_START;
        memberName(names);
        return true;
    }

    /** After a member's value: true and at the next member's value, or false past the closing brace. */
    boolean nextMember(NameTable names) throws LogParseException {
        int c = next();
        if (c == ',') {
            pos++;
            memberName(names);
            return true;
        }
        if (c == '}') {
            pos++;
            depth--;
            return false;
        }
        throw unexpected(pos, "',' or '}'");
    }

    /** Consumes {@code [}: true and at the first element, or false for an empty array. */
    boolean enterArray() throws LogParseException {
        open();
        if (next() == ']') {
            pos++;
            depth--;
            return false;
        }
        return true;
    }

    /** After an element: true and at the next element, or false past the closing bracket. */
    boolean nextElement() throws LogParseException {
        int c = next();
        if (c == ',') {
            pos++;
            return true;
        }
        if (c == ']') {
            pos++;
            depth--;
            return false;
        }
        throw unexpected(pos, "',' or ']'");
    }

    /**
     * The first byte of the next value, after whitespace: <code>&#123;</code>, {@code [},
     * {@code "}, {@code -} or a digit, {@code t}, {@code f}, {@code n} — or anything else, which
     * {@link #skipValue()} reports as an error.
     */
    int peek() throws LogParseException {
        return next();
    }

    private void open() throws LogParseException {
        if (++depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH + " levels", pos);
        pos++;
    }

    /** {@link #memberName()} for an object read with {@code names}: the expected name first, then a scan. */
    private void memberName(NameTable names) throws LogParseException {
        skipWhitespace();
        int e = names.expected();
        if (e >= 0) {
            byte[] q = names.quoted[e];
            int n = q.length;
            // Four masked words when the name was packed and 32 bytes can be read here; else the loop.
            if (end - pos >= n && (n <= ByteScan.PACKED_BYTES && pos + ByteScan.PACKED_BYTES <= b.length
                    ? ByteScan.packedEquals(b, pos, names.words, names.masks, 4 * e)
                    : ByteScan.regionEquals(b, pos, q, 0, n))) {
                strFrom = pos + 1;
                strTo = pos + q.length - 2;
                strEscaped = false;
                strNonAscii = false;
                pos += q.length;
                nameIndex = names.index[e];
                names.cursor = e;
                return;
            }
        }
        memberName();
        nameIndex = stringIndex(names.known);
        if (strEscaped || strNonAscii) names.unlearned();
        else names.follow(b, strFrom, strTo, nameIndex);
    }

    private void memberName() throws LogParseException {
        if (next() != '"') throw unexpected(pos, "a field name in double quotes");
        scanString();
        if (strTo - strFrom > MAX_NAME_BYTES && nameBytes() > MAX_NAME_BYTES) {
            throw error("field name longer than " + MAX_NAME_BYTES + " bytes", strFrom - 1);
        }
        if (next() != ':') throw unexpected(pos, "':'");
        pos++;
    }

    /** UTF-8 length of the (decoded) name; only asked for long names. */
    private int nameBytes() {
        if (!strEscaped) return strTo - strFrom;
        return stringValue().getBytes(StandardCharsets.UTF_8).length;
    }

    // ---- names and strings ----------------------------------------------------------------------

    /**
     * Index of the current member's name (read by {@link #enterObject} or {@link #nextMember}) in
     * its table's known names, or -1. Compared as bytes; a name written with escapes
     * (<code>"time&#92;u0073tamp"</code>) is decoded first, so it matches by its value, as it
     * would with Jackson.
     */
    int nameIndex() {
        return nameIndex;
    }

    /** Reads the string value at the position (see {@link #peek()}: {@code "}); keeps its span. */
    void readString() throws LogParseException {
        scanString();
    }

    /** Index in {@code known} of the last string read, compared as {@link String#equals}, or -1. */
    int stringIndex(KnownStrings known) {
        if (strEscaped) {
            String s = stringValue();
            for (int i = 0; i < known.text.length; i++) {
                if (known.text[i].equals(s)) return i;
            }
            return -1;
        }
        int len = strTo - strFrom;
        for (int i = 0; i < known.utf8.length; i++) {
            byte[] k = known.utf8[i];
            if (k.length == len && regionEquals(k)) return i;
        }
        return -1;
    }

    /**
     * Index in {@code known} of the last string read, compared as {@link String#equalsIgnoreCase},
     * or -1. Bytes with ASCII case folding for an unescaped ASCII string; otherwise (where Unicode
     * case rules could make e.g. U+017F match {@code s}) on the decoded String.
     */
    int stringIndexIgnoreCase(KnownStrings known) {
        if (strEscaped || strNonAscii) {
            String s = stringValue();
            for (int i = 0; i < known.text.length; i++) {
                if (known.text[i].equalsIgnoreCase(s)) return i;
            }
            return -1;
        }
        int len = strTo - strFrom;
        for (int i = 0; i < known.utf8.length; i++) {
            byte[] k = known.utf8[i];
            if (k.length == len && regionEqualsIgnoreAsciiCase(k)) return i;
        }
        return -1;
    }

    private boolean regionEquals(byte[] k) {
        return ByteScan.regionEquals(b, strFrom, k, 0, k.length);
    }

    private boolean regionEqualsIgnoreAsciiCase(byte[] k) {
        for (int i = 0; i < k.length; i++) {
            if (lowerAscii(b[strFrom + i]) != lowerAscii(k[i])) return false;
        }
        return true;
    }

    private static int lowerAscii(byte c) {
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }

    boolean stringIsEmpty() {
        return strTo == strFrom;
    }

    /** Length in bytes of the last string read, as written (escapes undecoded). */
    int stringRawLength() {
        return strTo - strFrom;
    }

    /** Byte {@code i} of the last string read, as written. */
    byte stringRawByte(int i) {
        return b[strFrom + i];
    }

    /** Whether the last string read is, as written (escapes undecoded), exactly {@code raw}. */
    boolean stringRawEquals(byte[] raw) {
        return raw.length == strTo - strFrom && ByteScan.regionEquals(b, strFrom, raw, 0, raw.length);
    }

    /** A copy of the last string read, as written (escapes undecoded). */
    byte[] stringRaw() {
        return Arrays.copyOfRange(b, strFrom, strTo);
    }

    boolean stringIsPlainAscii() {
        return !strEscaped && !strNonAscii;
    }

    /** The last string read (or the current name), decoded. */
    String stringValue() {
        if (!strEscaped) {
            return new String(b, strFrom, strTo - strFrom,
                    strNonAscii ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        }
        StringBuilder s = new StringBuilder(strTo - strFrom);
        int run = strFrom;
        int i = strFrom;
        while (i < strTo) {
            if (b[i] != '\\') {
                i++;
                continue;
            }
            if (i > run) s.append(new String(b, run, i - run, StandardCharsets.UTF_8));
            byte e = b[i + 1];
            switch (e) {
                case 'b' -> s.append('\b');
                case 'f' -> s.append('\f');
                case 'n' -> s.append('\n');
                case 'r' -> s.append('\r');
                case 't' -> s.append('\t');
                case 'u' -> s.append((char) (hex(b[i + 2]) << 12 | hex(b[i + 3]) << 8 | hex(b[i + 4]) << 4 | hex(b[i + 5])));
                default -> s.append((char) e); // " \ /
            }
            i += e == 'u' ? 6 : 2;
            run = i;
        }
        if (i > run) s.append(new String(b, run, i - run, StandardCharsets.UTF_8));
        return s.toString();
    }

    /**
     * Scans the string starting at {@code pos} (its opening quote), checking escapes and control
     * characters; leaves {@code pos} after the closing quote and the span in {@code str*}.
     */
    private void scanString() throws LogParseException {
        int p = pos + 1;
        boolean escaped = false;
        boolean nonAscii = false;
        while (true) {
            // Jumps to the next byte that needs a decision; once the string is known to be
            // non-ASCII, further non-ASCII bytes do not (they are not re-validated, see above).
            p = ByteScan.firstJsonStringStop(b, p, end, !nonAscii);
            if (p >= end) throw endOfInput(p);
            byte c = b[p];
            if (c == '"') {
                break;
            } else if (c < 0) {
                nonAscii = true;
                p++;
            } else if (c == '\\') {
                escaped = true;
                p = escape(p);
            } else {
                throw error("unescaped control character (code " + c + ") in a string", p);
            }
        }
        strFrom = pos + 1;
        strTo = p;
        strEscaped = escaped;
        strNonAscii = nonAscii;
        pos = p + 1;
    }

    /** Checks the escape at {@code b[p] == '\\'}; returns the index after it. */
    private int escape(int p) throws LogParseException {
        if (p + 1 >= end) throw endOfInput(p + 1);
        byte e = b[p + 1];
        switch (e) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                return p + 2;
            }
            case 'u' -> {
                for (int i = p + 2; i < p + 6; i++) {
                    if (i >= end) throw endOfInput(i);
                    if (hex(b[i]) < 0) throw error("invalid \\u escape (four hex digits expected)", p);
                }
                return p + 6;
            }
            default -> throw error("invalid escape \\" + printable(e) + " in a string", p);
        }
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    // ---- numbers --------------------------------------------------------------------------------

    /**
     * Reads the number at the position (see {@link #peek()}: {@code -} or a digit); true if it is
     * an integer (no fraction, no exponent: {@code 1.0} and {@code 1e3} are not, as for Jackson).
     */
    boolean readNumber() throws LogParseException {
        int p = pos;
        if (b[p] == '-') p++;
        if (p >= end) throw endOfInput(p);
        int digits;
        if (b[p] == '0') {
            p++;
            digits = 1;
            if (p < end && isDigit(b[p])) throw error("leading zeros are not allowed in a number", pos);
        } else if (isDigit(b[p])) {
            int first = p;
            while (p < end && isDigit(b[p])) p++;
            digits = p - first;
        } else {
            throw unexpected(p, "a digit");
        }
        boolean integer = true;
        if (p < end && b[p] == '.') {
            integer = false;
            int first = ++p;
            while (p < end && isDigit(b[p])) p++;
            if (p == first) throw p == end ? endOfInput(p) : unexpected(p, "a digit after the decimal point");
            digits += p - first;
        }
        if (p < end && (b[p] == 'e' || b[p] == 'E')) {
            integer = false;
            p++;
            if (p < end && (b[p] == '+' || b[p] == '-')) p++;
            int first = p;
            while (p < end && isDigit(b[p])) p++;
            if (p == first) throw p == end ? endOfInput(p) : unexpected(p, "a digit in the exponent");
            digits += p - first;
        }
        if (digits > MAX_NUMBER_DIGITS) throw error("number of more than " + MAX_NUMBER_DIGITS + " digits", pos);
        numFrom = pos;
        numTo = p;
        pos = p;
        return integer;
    }

    /** The last number read, an integer, as a long; {@link Long#MIN_VALUE} when it does not fit one. */
    long integerValue() {
        int p = numFrom;
        boolean negative = b[p] == '-';
        if (negative) p++;
        long v = 0;
        for (; p < numTo; p++) {
            int d = b[p] - '0';
            // Accumulate negatively: the negative range is one larger.
            if (v < (Long.MIN_VALUE + d) / 10) return Long.MIN_VALUE;
            v = v * 10 - d;
        }
        if (negative) return v;
        return v == Long.MIN_VALUE ? Long.MIN_VALUE : -v;
    }

    /** The last number read, as written. */
    String numberText() {
        return new String(b, numFrom, numTo - numFrom, StandardCharsets.ISO_8859_1);
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    // ---- skipping -------------------------------------------------------------------------------

    /**
     * Skips the next value of any kind, validating it as strictly as reading it would, without
     * decoding it and, up to 64 levels of nesting inside it, without allocating. Iterative, with
     * one bit per open container (object or array), so depth costs no stack.
     */
    void skipValue() throws LogParseException {
        int level = 0;      // containers opened inside this value and not yet closed
        long objects = 0;   // bit i: the container at level i is an object (levels 0..63)
        long[] deeper = null; // the same for levels 64 and up, allocated only for such nesting
        while (true) {
            // Expecting a value.
            int c = next();
            if (c == '{' || c == '[') {
                open();
                boolean object = c == '{';
                if (level < 64) {
                    if (object) objects |= 1L << level;
                    else objects &= ~(1L << level);
                } else {
                    if (deeper == null) deeper = new long[(MAX_DEPTH + 63) / 64];
                    int k = level - 64;
                    if (object) deeper[k >> 6] |= 1L << k;
                    else deeper[k >> 6] &= ~(1L << k);
                }
                level++;
                int n = next();
                if (n == (object ? '}' : ']')) {
                    pos++;
                    depth--;
                    level--;
                } else {
                    if (object) memberName();
                    continue;
                }
            } else {
                skipScalar(c);
            }
            // After a value: close containers until one continues with ','.
            while (true) {
                if (level == 0) return;
                int top = level - 1;
                boolean object = top < 64
                        ? (objects & 1L << top) != 0
                        : (deeper[(top - 64) >> 6] & 1L << (top - 64)) != 0;
                int n = next();
                if (n == ',') {
                    pos++;
                    if (object) memberName();
                    break;
                }
                if (n == (object ? '}' : ']')) {
                    pos++;
                    depth--;
                    level--;
                    continue;
                }
                throw unexpected(pos, object ? "',' or '}'" : "',' or ']'");
            }
        }
    }

    private void skipScalar(int c) throws LogParseException {
        switch (c) {
            case '"' -> scanString();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) readNumber();
                else throw unexpected(pos, "a value");
            }
        }
    }

    private void literal(String word) throws LogParseException {
        for (int i = 0; i < word.length(); i++) {
            int p = pos + i;
            if (p >= end) throw endOfInput(p);
            if (b[p] != word.charAt(i)) throw error("invalid token (expected '" + word + "')", pos);
        }
        pos += word.length();
    }

    // ---- whitespace and errors ------------------------------------------------------------------

    /** Skips whitespace; returns the byte there, failing at the end of input. */
    private int next() throws LogParseException {
        skipWhitespace();
        if (pos >= end) throw endOfInput(pos);
        return b[pos];
    }

    private void skipWhitespace() {
        while (pos < end) {
            byte c = b[pos];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
            pos++;
        }
    }

    private LogParseException unexpected(int at, String expected) {
        return error("unexpected " + printable(b[at]) + ", expected " + expected, at);
    }

    private LogParseException endOfInput(int at) {
        return error("unexpected end of input", at);
    }

    private LogParseException error(String what, int at) {
        return new LogParseException(DeadLetterReason.WAF_INVALID_JSON, what + " at byte " + (at - start));
    }

    private static String printable(byte c) {
        if (c > 0x20 && c < 0x7F) return "'" + (char) c + "'";
        if (c >= 0) return "character (code " + c + ")";
        return "non-ASCII byte 0x" + Integer.toHexString(c & 0xFF);
    }
}
