package io.spikewatch.analyst;

import io.spikewatch.enrichment.CidrSet;
import io.spikewatch.enrichment.IpLiteral;
import io.spikewatch.enrichment.IpText;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which IPs are worth putting on the WAF deny list, judged from ip-dimension incidents (alert
 * documents) in a time range. An IP is a candidate when at least one of these holds:
 * <ol>
 *   <li><b>severe</b>: an incident of severity {@code high} or {@code critical} (at least 5× its
 *       threshold) — a flood, not a busy client;</li>
 *   <li><b>repeated</b>: incidents at {@value #REPEATED_INCIDENTS} or more separate times in the range
 *       (incidents that overlap in time, such as the WAF's and the ALB's view of one burst or its
 *       request and client-error signals, are one episode);</li>
 *   <li><b>blocked</b>: the WAF blocked at least {@value #BLOCKED_SHARE_PERCENT}% of the requests in
 *       an incident's evidence (at least {@value #MIN_EVIDENCE_REQUESTS} requests): the rules
 *       already call its traffic hostile, and a deny-list entry stops it before rule evaluation;</li>
 *   <li><b>scanner</b>: an incident of the {@code client_errors} signal — a surge of 4xx
 *       answers, the mark of path scanning and credential guessing.</li>
 * </ol>
 * A single low or medium request surge with mostly allowed traffic is not a candidate: that is
 * what a flash crowd or a busy NAT looks like. Allowlisted addresses are never candidates.
 *
 * <p>Suggested expiry: {@link #LONG_EXPIRY} after the last sighting when two or more criteria hold
 * or an incident was critical, else {@link #SHORT_EXPIRY}. Deny lists that only grow block
 * re-assigned addresses forever.
 */
public final class DenyListRule {
    public static final int REPEATED_INCIDENTS = 2;
    public static final int BLOCKED_SHARE_PERCENT = 50;
    public static final long MIN_EVIDENCE_REQUESTS = 20;
    public static final Duration SHORT_EXPIRY = Duration.ofDays(7);
    public static final Duration LONG_EXPIRY = Duration.ofDays(30);
    private static final List<String> SEVERITIES = List.of("low", "medium", "high", "critical");

    private final CidrSet allowlist;
    private int allowlistedSkipped;

    public DenyListRule(CidrSet allowlist) {
        this.allowlist = allowlist;
    }

    /** IPs that met a criterion but were left out because an allowlist range holds them (last {@link #candidates} call). */
    public int allowlistedSkipped() {
        return allowlistedSkipped;
    }

    /** Candidates among the alerts (any dimension; only {@code ip} counts), most incidents first, then by IP. */
    public List<DenyCandidate> candidates(List<AlertRow> alerts) {
        Map<String, List<AlertRow>> byIp = new LinkedHashMap<>();
        Map<String, Boolean> v6 = new LinkedHashMap<>();
        for (AlertRow a : alerts) {
            if (!"ip".equals(a.dimension()) || a.key() == null) continue;
            byte[] bytes = IpLiteral.toIpv4IfMapped(IpLiteral.parse(a.key().trim()));
            if (bytes == null) continue;
            String ip = IpText.format(bytes);
            byIp.computeIfAbsent(ip, k -> new ArrayList<>()).add(a);
            v6.put(ip, bytes.length == 16);
        }
        allowlistedSkipped = 0;
        List<DenyCandidate> out = new ArrayList<>();
        for (Map.Entry<String, List<AlertRow>> e : byIp.entrySet()) {
            DenyCandidate c = judge(e.getKey(), v6.get(e.getKey()), e.getValue());
            if (c == null) continue;
            if (allowlist.contains(c.ip())) {
                allowlistedSkipped++;
                continue;
            }
            out.add(c);
        }
        out.sort(Comparator.comparingInt(DenyCandidate::incidents).reversed().thenComparing(DenyCandidate::ip));
        return out;
    }

    /** Incidents merged where their [first seen, last seen] spans overlap. */
    static int episodes(List<AlertRow> incidents) {
        List<AlertRow> byStart = new ArrayList<>(incidents);
        byStart.sort(Comparator.comparingLong(AlertRow::startMillis));
        int episodes = 0;
        long end = Long.MIN_VALUE;
        for (AlertRow a : byStart) {
            if (episodes == 0 || a.startMillis() > end) episodes++;
            end = Math.max(end, a.endMillis());
        }
        return episodes;
    }

    private DenyCandidate judge(String ip, boolean ipv6, List<AlertRow> incidents) {
        Set<String> ids = new HashSet<>();
        int maxSeverity = -1;
        double maxBlockedShare = 0;
        long blockedEvidence = 0;
        long evidenceRequests = 0;
        boolean scanner = false;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        String country = null;
        for (AlertRow a : incidents) {
            ids.add(a.id() == null ? a.key() + "@" + a.startMillis() : a.id());
            maxSeverity = Math.max(maxSeverity, SEVERITIES.indexOf(a.severity() == null ? "" : a.severity().toLowerCase(Locale.ROOT)));
            scanner |= "client_errors".equals(a.signal());
            first = Math.min(first, a.startMillis());
            last = Math.max(last, a.endMillis());
            if (a.country() != null) country = a.country();
            if (a.evidence() != null) {
                evidenceRequests += a.evidence().requests();
                if (a.evidence().requests() >= MIN_EVIDENCE_REQUESTS && a.evidence().blockedShare() > maxBlockedShare) {
                    maxBlockedShare = a.evidence().blockedShare();
                    blockedEvidence = a.evidence().requests();
                }
            }
        }
        List<String> reasons = new ArrayList<>();
        if (maxSeverity >= 2) reasons.add("severe: " + SEVERITIES.get(maxSeverity) + " incident");
        int episodes = episodes(incidents);
        if (episodes >= REPEATED_INCIDENTS) reasons.add("repeated: incidents at " + episodes + " separate times");
        if (maxBlockedShare * 100 >= BLOCKED_SHARE_PERCENT) {
            reasons.add(String.format(Locale.ROOT, "blocked: WAF blocked %.0f%% of %,d requests", maxBlockedShare * 100, blockedEvidence));
        }
        if (scanner) reasons.add("scanner: client-error (4xx) surge");
        if (reasons.isEmpty()) return null;
        Duration keep = reasons.size() >= 2 || maxSeverity == 3 ? LONG_EXPIRY : SHORT_EXPIRY;
        return new DenyCandidate(ip, ipv6, country, List.copyOf(reasons), Instant.ofEpochMilli(first),
                Instant.ofEpochMilli(last), ids.size(), maxSeverity < 0 ? null : SEVERITIES.get(maxSeverity),
                maxBlockedShare, evidenceRequests, Instant.ofEpochMilli(last).plus(keep));
    }
}
