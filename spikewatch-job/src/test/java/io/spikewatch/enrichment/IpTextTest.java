package io.spikewatch.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpTextTest {
    @ParameterizedTest
    @CsvSource({
        "1.2.3.4, 1.2.3.4",
        "0.0.0.0, 0.0.0.0",
        "::, ::",
        "::1, ::1",
        "1::, 1::",
        "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
        "2001:db8:0:1:0:0:0:1, 2001:db8:0:1::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:db8:1:1:1:1:1:0, 2001:db8:1:1:1:1:1:0",
        "2001:0db8:0000:0001:0001:0001:0001:0001, 2001:db8:0:1:1:1:1:1",
        "::ffff:10.1.2.3, ::ffff:10.1.2.3",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
    })
    void formatsCanonically(String in, String out) {
        assertThat(IpText.format(IpLiteral.parse(in))).isEqualTo(out);
    }

    /** {@code ipv4Bits} accepts exactly the literals {@code parse} turns into 4 bytes, with their value. */
    @Test
    void ipv4BitsAgreesWithParse() {
        String[] inputs = {"1.2.3.4", "0.0.0.0", "255.255.255.255", "10.1.2.3", "256.1.1.1", "1.2.3", "1.2.3.4.5",
            "01.2.3.4", "1.2.3.04", "1..2.3", ".1.2.3", "1.2.3.", "1.2.3.4 ", " 1.2.3.4", "1.2.3.-4", "1.2.3.a",
            "::ffff:1.2.3.4", "::1", "", "1234.1.1.1", "1.2.3.1000", "192.168.100.200", "9.9.9.9x"};
        for (String in : inputs) {
            byte[] parsed = IpLiteral.parse(in);
            long bits = IpLiteral.ipv4Bits(in);
            if (parsed == null || parsed.length != 4) {
                assertThat(bits).as(in).isEqualTo(-1);
            } else {
                long expected = (parsed[0] & 0xFFL) << 24 | (parsed[1] & 0xFF) << 16 | (parsed[2] & 0xFF) << 8 | (parsed[3] & 0xFF);
                assertThat(bits).as(in).isEqualTo(expected);
            }
        }
        assertThat(IpLiteral.ipv4Bits(null)).isEqualTo(-1);
    }
}
