package io.spikewatch.cli;

import io.spikewatch.analyst.AlertRow;
import io.spikewatch.analyst.CandidateCsv;
import io.spikewatch.analyst.DenyCandidate;
import io.spikewatch.analyst.DenyListRule;
import io.spikewatch.analyst.DocumentFilter;
import io.spikewatch.analyst.DocumentSource;
import io.spikewatch.analyst.OutputKind;
import io.spikewatch.analyst.WafIpSetExport;
import io.spikewatch.config.DurationText;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code denylist}: the IPs worth denying ({@link DenyListRule}) over the last {@code --since},
 * written as {@code aws wafv2 update-ip-set} inputs ({@code ipset-ipv4.json},
 * {@code ipset-ipv6.json}) and a {@code candidates.csv} with the reason for each.
 */
@Command(name = "denylist", mixinStandardHelpOptions = true,
        description = "Write WAF IP-set inputs (ipset-ipv4.json, ipset-ipv6.json for 'aws wafv2 update-ip-set "
                + "--cli-input-json') and candidates.csv from the ip incidents of the last --since.")
public class DenyListCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DocumentSourceOptions source;

    @Mixin
    AllowlistOptions allowlist;

    @Option(names = "--since", defaultValue = "24h", paramLabel = "D",
            description = "How far back to look: from now for OpenSearch, from the newest document for --input. Default: ${DEFAULT-VALUE}.")
    String since;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for ipset-ipv4.json, ipset-ipv6.json, candidates.csv.")
    Path out;

    @Option(names = "--name", defaultValue = "spikewatch-deny", paramLabel = "NAME",
            description = "IP set name stem: the sets are NAME-ipv4 and NAME-ipv6. Default: ${DEFAULT-VALUE}.")
    String name;

    @Option(names = "--scope", defaultValue = "REGIONAL", paramLabel = "REGIONAL|CLOUDFRONT",
            description = "WAF scope of the IP sets. Default: ${DEFAULT-VALUE}.")
    String scope;

    @Option(names = "--id", paramLabel = "ID", description = "Id of the IPv4 IP set (else a placeholder to replace).")
    String ipv4Id;

    @Option(names = "--ipv6-id", paramLabel = "ID", description = "Id of the IPv6 IP set (else a placeholder to replace).")
    String ipv6Id;

    @Option(names = "--merge-ipv4", paramLabel = "FILE",
            description = "Output of 'aws wafv2 get-ip-set' for the IPv4 set: its addresses are kept and its LockToken and Id used.")
    Path mergeIpv4;

    @Option(names = "--merge-ipv6", paramLabel = "FILE", description = "The same for the IPv6 set.")
    Path mergeIpv6;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws Exception {
        if (!scope.equals("REGIONAL") && !scope.equals("CLOUDFRONT")) {
            throw new IllegalArgumentException("--scope must be REGIONAL or CLOUDFRONT, not '" + scope + "'");
        }
        Duration window = DurationText.parse(since);
        DenyListRule rule = new DenyListRule(allowlist.load());
        DocumentSource documents = source.open(clock);
        Instant to = documents.referenceTime();
        Instant from = to.minus(window);
        List<AlertRow> alerts = new ArrayList<>();
        // The end is inclusive of the newest document: one millisecond past it.
        documents.scan(DocumentFilter.of(OutputKind.ALERTS, from, to.plusMillis(1), "ip"), r -> alerts.add((AlertRow) r));
        List<DenyCandidate> candidates = rule.candidates(alerts);

        List<String> v4 = new ArrayList<>();
        List<String> v6 = new ArrayList<>();
        for (DenyCandidate c : candidates) (c.ipv6() ? v6 : v4).add(c.cidr());
        String description = "spikewatch deny list: " + candidates.size() + " candidates from " + from + " to " + to;
        Files.createDirectories(out);
        write("ipset-ipv4.json", ipSet(name + "-ipv4", ipv4Id, description, v4, mergeIpv4, "IPv4"));
        write("ipset-ipv6.json", ipSet(name + "-ipv6", ipv6Id, description, v6, mergeIpv6, "IPv6"));
        write("candidates.csv", CandidateCsv.render(candidates));

        PrintWriter o = spec.commandLine().getOut();
        o.printf("denylist: %d incident(s) of ip keys from %s to %s in %s%n", alerts.size(), from, to, documents.describe());
        o.printf("denylist: %d candidate(s) (%d IPv4, %d IPv6); %d left out by the allowlist%n",
                candidates.size(), v4.size(), v6.size(), rule.allowlistedSkipped());
        o.println("denylist: wrote " + out.resolve("ipset-ipv4.json") + ", " + out.resolve("ipset-ipv6.json") + ", "
                + out.resolve("candidates.csv") + " (see docs/analyst.md before running update-ip-set: it replaces the whole list)");
        o.flush();
        return 0;
    }

    private String ipSet(String setName, String id, String description, List<String> addresses, Path merge,
                         String family) throws java.io.IOException {
        if (merge == null) {
            return WafIpSetExport.render(setName, scope, id, description, addresses, null, family);
        }
        WafIpSetExport.CurrentSet current = WafIpSetExport.CurrentSet.fromGetIpSetJson(Files.readString(merge));
        return WafIpSetExport.render(current.name() != null ? current.name() : setName, scope,
                id != null ? id : current.id(), description, WafIpSetExport.merge(current.addresses(), addresses),
                current.lockToken(), family);
    }

    private void write(String file, String content) throws java.io.IOException {
        Files.writeString(out.resolve(file), content, StandardCharsets.UTF_8);
    }
}
