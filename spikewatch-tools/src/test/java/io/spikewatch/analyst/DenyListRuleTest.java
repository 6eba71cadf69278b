package io.spikewatch.analyst;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.spikewatch.enrichment.CidrSet;
import io.spikewatch.records.AlertDocument;
import io.spikewatch.records.DocumentJson;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DenyListRuleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");

    private static AlertRow row(AlertDocument a) throws Exception {
        return AlertRow.fromJson(JSON.readTree(DocumentJson.alert(a)));
    }

    private static List<DenyCandidate> candidates(CidrSet allowlist, AlertDocument... alerts) throws Exception {
        List<AlertRow> rows = new ArrayList<>();
        for (AlertDocument a : alerts) rows.add(row(a));
        return new DenyListRule(allowlist).candidates(rows);
    }

    @Test
    void aSingleLowRequestSurgeOfMostlyAllowedTrafficIsNotACandidate() throws Exception {
        assertThat(candidates(CidrSet.empty(),
                OutputFixture.alert("a1", "ip", "198.51.100.7", "requests", "low", T0, T0.plusSeconds(120), 400, 10)))
                .isEmpty();
    }

    @Test
    void eachCriterionMakesACandidateAndIsNamedInTheReason() throws Exception {
        List<DenyCandidate> c = candidates(CidrSet.empty(),
                OutputFixture.alert("s", "ip", "203.0.113.1", "requests", "high", T0, T0.plusSeconds(60), 400, 0),
                OutputFixture.alert("r1", "ip", "203.0.113.2", "requests", "low", T0, T0.plusSeconds(60), 400, 0),
                OutputFixture.alert("r2", "ip", "203.0.113.2", "requests", "low", T0.plusSeconds(3600), T0.plusSeconds(3660), 400, 0),
                OutputFixture.alert("b", "ip", "203.0.113.3", "requests", "low", T0, T0.plusSeconds(60), 400, 380),
                OutputFixture.alert("c", "ip", "203.0.113.4", "client_errors", "low", T0, T0.plusSeconds(60), 40, 0));
        assertThat(c).extracting(DenyCandidate::ip)
                .containsExactly("203.0.113.2", "203.0.113.1", "203.0.113.3", "203.0.113.4");
        assertThat(c.get(0).reasonText()).isEqualTo("repeated: incidents at 2 separate times");
        assertThat(c.get(0).incidents()).isEqualTo(2);
        assertThat(c.get(0).firstSeen()).isEqualTo(T0);
        assertThat(c.get(0).lastSeen()).isEqualTo(T0.plusSeconds(3660));
        assertThat(c.get(1).reasonText()).isEqualTo("severe: high incident");
        assertThat(c.get(2).reasonText()).isEqualTo("blocked: WAF blocked 95% of 400 requests");
        assertThat(c.get(3).reasonText()).isEqualTo("scanner: client-error (4xx) surge");
        // One criterion: a week after the last sighting.
        assertThat(c.get(1).suggestedExpiry()).isEqualTo(T0.plusSeconds(60).plus(DenyListRule.SHORT_EXPIRY));
    }

    @Test
    void incidentsThatOverlapInTimeAreOneEpisode() throws Exception {
        // WAF and ALB view, and the client-error signal, of one burst: not "repeated".
        assertThat(candidates(CidrSet.empty(),
                OutputFixture.alert("w", "ip", "198.51.100.7", "requests", "low", T0, T0.plusSeconds(300), 400, 0),
                OutputFixture.alert("a", "ip", "198.51.100.7", "requests", "low", T0.plusSeconds(10), T0.plusSeconds(200), 400, 0),
                OutputFixture.alert("x", "ip", "198.51.100.7", "requests", "low", T0.plusSeconds(250), T0.plusSeconds(400), 400, 0)))
                .isEmpty();
    }

    @Test
    void aBlockedShareOverTooFewRequestsDoesNotCount() throws Exception {
        assertThat(candidates(CidrSet.empty(),
                OutputFixture.alert("b", "ip", "203.0.113.3", "requests", "low", T0, T0, DenyListRule.MIN_EVIDENCE_REQUESTS - 1, 19)))
                .isEmpty();
    }

    @Test
    void severalCriteriaOrACriticalIncidentKeepTheEntryLonger() throws Exception {
        List<DenyCandidate> c = candidates(CidrSet.empty(),
                OutputFixture.alert("x", "ip", "203.0.113.9", "requests", "critical", T0, T0.plusSeconds(60), 400, 0));
        assertThat(c.get(0).suggestedExpiry()).isEqualTo(T0.plusSeconds(60).plus(Duration.ofDays(30)));
    }

    @Test
    void allowlistedAddressesAreNeverCandidatesAndAreCounted() throws Exception {
        DenyListRule rule = new DenyListRule(CidrSet.of("203.0.113.0/24", "2001:db8::/32"));
        List<DenyCandidate> c = rule.candidates(List.of(
                row(OutputFixture.alert("a", "ip", "203.0.113.1", "requests", "critical", T0, T0, 400, 400)),
                row(OutputFixture.alert("b", "ip", "2001:db8::1", "requests", "critical", T0, T0, 400, 400)),
                row(OutputFixture.alert("c", "ip", "192.0.2.1", "requests", "critical", T0, T0, 400, 400))));
        assertThat(c).extracting(DenyCandidate::ip).containsExactly("192.0.2.1");
        assertThat(rule.allowlistedSkipped()).isEqualTo(2);
    }

    @Test
    void addressesAreNormalisedAndOnlyIpKeysCount() throws Exception {
        List<DenyCandidate> c = candidates(CidrSet.empty(),
                OutputFixture.alert("v6", "ip", "2001:DB8:0:0:0:0:0:1", "requests", "high", T0, T0, 400, 0),
                OutputFixture.alert("mapped", "ip", "::ffff:192.0.2.5", "requests", "high", T0, T0, 400, 0),
                OutputFixture.alert("country", "country", "CN", "requests", "critical", T0, T0, 400, 400),
                OutputFixture.alert("junk", "ip", "<script>", "requests", "critical", T0, T0, 400, 400));
        assertThat(c).extracting(DenyCandidate::cidr).containsExactlyInAnyOrder("2001:db8::1/128", "192.0.2.5/32");
    }
}
