package io.spikewatch.analyst;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WafIpSetExportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void rendersTheUpdateIpSetInputShape() throws Exception {
        JsonNode n = JSON.readTree(WafIpSetExport.render("deny-ipv4", "REGIONAL", "abc-123", "spikewatch deny list",
                List.of("192.0.2.1/32", "198.51.100.7/32"), null, "IPv4"));
        assertThat(n.fieldNames()).toIterable().containsExactly("Name", "Scope", "Id", "Description", "Addresses", "LockToken");
        assertThat(n.get("Name").asText()).isEqualTo("deny-ipv4");
        assertThat(n.get("Scope").asText()).isEqualTo("REGIONAL");
        assertThat(n.get("Id").asText()).isEqualTo("abc-123");
        assertThat(n.get("Addresses")).extracting(JsonNode::asText).containsExactly("192.0.2.1/32", "198.51.100.7/32");
        assertThat(n.get("LockToken").asText()).isEqualTo(WafIpSetExport.LOCK_TOKEN_PLACEHOLDER);
    }

    @Test
    void tenThousandAddressesFitAndOneMoreIsAClearError() {
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < WafIpSetExport.MAX_ADDRESSES; i++) addresses.add("10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255) + "/32");
        assertThat(WafIpSetExport.render("n", "REGIONAL", null, "d", addresses, null, "IPv4")).contains(WafIpSetExport.ID_PLACEHOLDER);
        addresses.add("192.0.2.1/32");
        assertThatThrownBy(() -> WafIpSetExport.render("n", "REGIONAL", null, "d", addresses, null, "IPv4"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10,001 IPv4 addresses exceed the 10,000 a WAF IP set holds");
    }

    @Test
    void mergeKeepsTheCurrentAddressesAndItsLockToken() throws Exception {
        WafIpSetExport.CurrentSet current = WafIpSetExport.CurrentSet.fromGetIpSetJson("""
                {"IPSet":{"Name":"deny-ipv4","Id":"id-1","ARN":"arn:x","IPAddressVersion":"IPV4",
                 "Addresses":["192.0.2.1/32","203.0.113.0/24"]},"LockToken":"tok-9"}""");
        assertThat(current.lockToken()).isEqualTo("tok-9");
        assertThat(WafIpSetExport.merge(current.addresses(), List.of("198.51.100.7/32", "192.0.2.1/32")))
                .containsExactly("192.0.2.1/32", "203.0.113.0/24", "198.51.100.7/32");
        assertThatThrownBy(() -> WafIpSetExport.CurrentSet.fromGetIpSetJson("{\"Addresses\":[]}"))
                .hasMessageContaining("get-ip-set");
    }
}
