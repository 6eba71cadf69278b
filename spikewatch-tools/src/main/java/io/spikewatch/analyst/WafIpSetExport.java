package io.spikewatch.analyst;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The input of {@code aws wafv2 update-ip-set --cli-input-json file://ipset-ipv4.json}: Name, Scope,
 * Id, Description, Addresses (CIDR notation) and LockToken. The lock token is a placeholder: only
 * {@code get-ip-set} returns the current one. An update replaces the set's whole address list, so
 * {@link #merge} unions the new candidates with the addresses the set already holds.
 */
public final class WafIpSetExport {
    /** Addresses one WAF IP set holds at most (AWS WAF quota). */
    public static final int MAX_ADDRESSES = 10_000;
    public static final String LOCK_TOKEN_PLACEHOLDER = "REPLACE-WITH-LockToken-FROM-get-ip-set";
    public static final String ID_PLACEHOLDER = "REPLACE-WITH-IP-SET-Id";
    private static final ObjectMapper JSON = new ObjectMapper();

    private WafIpSetExport() {}

    /** Existing addresses and lock token, read from the output of {@code aws wafv2 get-ip-set}. */
    public record CurrentSet(List<String> addresses, String lockToken, String id, String name) {
        public static CurrentSet fromGetIpSetJson(String json) throws java.io.IOException {
            JsonNode n = JSON.readTree(json);
            JsonNode set = n.path("IPSet");
            if (!set.isObject()) throw new IllegalArgumentException("not the output of 'aws wafv2 get-ip-set': no IPSet member");
            List<String> addresses = new ArrayList<>();
            for (JsonNode a : set.path("Addresses")) addresses.add(a.asText());
            return new CurrentSet(addresses, n.path("LockToken").asText(null), set.path("Id").asText(null),
                    set.path("Name").asText(null));
        }
    }

    /** The current addresses (in their order) followed by new ones not already present. */
    public static List<String> merge(List<String> current, List<String> additions) {
        Set<String> out = new LinkedHashSet<>();
        for (String a : current) out.add(a.trim().toLowerCase(Locale.ROOT));
        for (String a : additions) out.add(a.toLowerCase(Locale.ROOT));
        return new ArrayList<>(out);
    }

    /**
     * @param family "IPv4" or "IPv6", for the error message
     * @throws IllegalArgumentException above {@link #MAX_ADDRESSES} addresses
     */
    public static String render(String name, String scope, String id, String description, List<String> addresses,
                                String lockToken, String family) {
        if (addresses.size() > MAX_ADDRESSES) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%,d %s addresses exceed the %,d a WAF IP set holds: shorten --since, add --allowlist ranges, "
                            + "or split the list over several IP sets", addresses.size(), family, MAX_ADDRESSES));
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("Name", name);
        n.put("Scope", scope);
        n.put("Id", id == null ? ID_PLACEHOLDER : id);
        n.put("Description", description);
        ArrayNode a = n.putArray("Addresses");
        addresses.forEach(a::add);
        n.put("LockToken", lockToken == null ? LOCK_TOKEN_PLACEHOLDER : lockToken);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("rendering a JSON tree cannot fail", e);
        }
    }
}
