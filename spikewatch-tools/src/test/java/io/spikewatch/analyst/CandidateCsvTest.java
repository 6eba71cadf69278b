package io.spikewatch.analyst;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CandidateCsvTest {
    @Test
    void formulasAreNeutralisedAndSpecialCharactersQuoted() {
        assertThat(CandidateCsv.field("=HYPERLINK(\"http://x\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x\"\")\"");
        assertThat(CandidateCsv.field("+1")).isEqualTo("'+1");
        assertThat(CandidateCsv.field("-2")).isEqualTo("'-2");
        assertThat(CandidateCsv.field("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(CandidateCsv.field("a,b")).isEqualTo("\"a,b\"");
        assertThat(CandidateCsv.field("line\nbreak\u202E")).isEqualTo("line\\u000Abreak\\u202E");
        assertThat(CandidateCsv.field("x".repeat(5000))).hasSize(1001);
    }

    @Test
    void oneRowPerCandidateUnderTheHeader() {
        Instant t = Instant.parse("2026-11-02T09:00:00Z");
        String csv = CandidateCsv.render(List.of(new DenyCandidate("192.0.2.1", false, "NL",
                List.of("severe: high incident", "repeated: 2 incidents"), t, t.plusSeconds(60), 2, "high", 0.25, 500,
                t.plusSeconds(60 * 60 * 24 * 30))));
        assertThat(csv.split("\r\n")).containsExactly(CandidateCsv.HEADER,
                "192.0.2.1,NL,severe: high incident; repeated: 2 incidents,2026-11-02T09:00:00Z,2026-11-02T09:01:00Z,2,high,0.250,"
                        + "2026-12-02T09:00:00Z");
    }
}
