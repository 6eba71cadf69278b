package io.spikewatch.parsing;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Utf8Text#validate} against the JDK's strict decoder on random mixes of ASCII runs (long
 * enough for the word scan), valid multi-byte characters and stray bytes, at every start offset:
 * same verdict, and the same index for the first bad sequence.
 */
class Utf8TextTest {
    private static final String[] CHARS = {"é", "€", "😀", "\u0800", "\uFFFD", "\u07FF", "\uD7FF", "\uE000", "\uDBFF\uDFFF"};

    /** Index of the first malformed sequence in {@code b[from, to)} per the JDK decoder, or -1. */
    private static int jdkErrorAt(byte[] b, int from, int to) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(b, from, to - from);
        CoderResult r = d.decode(in, CharBuffer.allocate(to - from + 1), true);
        return r.isError() ? in.position() : -1;
    }

    private static int validateErrorAt(byte[] b, int from, int to) {
        try {
            Utf8Text.validate(b, from, to);
            return -1;
        } catch (LogParseException e) {
            String detail = e.detail();
            return Integer.parseInt(detail.substring(detail.lastIndexOf(' ') + 1));
        }
    }

    @Test
    void agreesWithTheJdkDecoderOnRandomMixes() {
        Random rnd = new Random(7);
        for (int round = 0; round < 20_000; round++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int pieces = rnd.nextInt(8);
            for (int p = 0; p < pieces; p++) {
                int kind = rnd.nextInt(10);
                if (kind < 5) {
                    int run = rnd.nextInt(20);
                    for (int i = 0; i < run; i++) out.write(0x20 + rnd.nextInt(0x5F));
                } else if (kind < 9) {
                    out.writeBytes(CHARS[rnd.nextInt(CHARS.length)].getBytes(StandardCharsets.UTF_8));
                } else {
                    out.write(0x80 + rnd.nextInt(0x80)); // a stray non-ASCII byte, usually invalid
                }
            }
            byte[] b = out.toByteArray();
            int from = b.length == 0 ? 0 : rnd.nextInt(Math.min(b.length, 9) + 1);
            int to = from + rnd.nextInt(b.length - from + 1);
            assertThat(validateErrorAt(b, from, to))
                    .as("round %d, range [%d, %d) of %d bytes", round, from, to, b.length)
                    .isEqualTo(jdkErrorAt(b, from, to));
        }
    }

    @Test
    void aBadByteAfterALongAsciiRunIsReportedAtItsIndex() throws LogParseException {
        for (int pos = 0; pos < 40; pos++) {
            byte[] b = new byte[48];
            Arrays.fill(b, (byte) 'a');
            b[pos] = (byte) 0xC0; // an overlong lead byte: never valid
            int at = pos;
            assertThatThrownBy(() -> Utf8Text.validate(b, 0, b.length))
                    .isInstanceOf(LogParseException.class)
                    .hasMessageContaining("invalid UTF-8 at byte " + at);
            Utf8Text.validate(b, 0, pos); // the range before it is fine
        }
    }
}
