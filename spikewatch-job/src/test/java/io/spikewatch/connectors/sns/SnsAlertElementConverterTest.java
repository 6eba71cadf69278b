package io.spikewatch.connectors.sns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spikewatch.records.AlertDocument;
import io.spikewatch.records.DocumentJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static io.spikewatch.connectors.sns.SnsTestAlerts.FIFO_TOPIC;
import static io.spikewatch.connectors.sns.SnsTestAlerts.TOPIC;
import static io.spikewatch.connectors.sns.SnsTestAlerts.ipAlert;
import static io.spikewatch.connectors.sns.SnsTestAlerts.scopeAlert;
import static org.assertj.core.api.Assertions.assertThat;

class SnsAlertElementConverterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SnsAlertElementConverter STANDARD = new SnsAlertElementConverter(SnsSettings.forTopic(TOPIC));
    private static final SnsAlertElementConverter FIFO = new SnsAlertElementConverter(SnsSettings.forTopic(FIFO_TOPIC));
    private static final int CAP = SnsSettings.forTopic(TOPIC).maxMessageBytes();

    @Test
    void onlyOpeningsAndEscalationsArePublished() {
        assertThat(SnsAlertElementConverter.shouldPublish(ipAlert("a", "open", "high", "203.0.113.9", "CN"))).isTrue();
        assertThat(SnsAlertElementConverter.shouldPublish(ipAlert("a", "escalation", "critical", "203.0.113.9", "CN"))).isTrue();
        assertThat(SnsAlertElementConverter.shouldPublish(ipAlert("a", "update", "high", "203.0.113.9", "CN"))).isFalse();
        assertThat(SnsAlertElementConverter.shouldPublish(ipAlert("a", "resolve", "high", "203.0.113.9", "CN"))).isFalse();
        assertThat(SnsAlertElementConverter.shouldPublish(ipAlert("a", null, "high", "203.0.113.9", "CN"))).isFalse();
        assertThat(SnsAlertElementConverter.shouldPublish(null)).isFalse();
    }

    @Test
    void attributesCarryTheFilterableFieldsAsStrings() {
        PublishBatchRequestEntry e = STANDARD.apply(ipAlert("a1", "open", "high", "203.0.113.9", "CN"), null);
        Map<String, MessageAttributeValue> attributes = e.messageAttributes();
        assertThat(attributes).containsOnlyKeys("severity", "dimension", "dataset", "country", "change", "signal");
        assertThat(attributes.values()).allSatisfy(v -> assertThat(v.dataType()).isEqualTo("String"));
        assertThat(attributes.get("severity").stringValue()).isEqualTo("high");
        assertThat(attributes.get("dimension").stringValue()).isEqualTo("ip");
        assertThat(attributes.get("dataset").stringValue()).isEqualTo("aws.waf");
        assertThat(attributes.get("country").stringValue()).isEqualTo("CN");
        assertThat(attributes.get("change").stringValue()).isEqualTo("open");
        assertThat(attributes.get("signal").stringValue()).isEqualTo("requests");
    }

    @Test
    void countryIsOmittedWhenUnknown() {
        PublishBatchRequestEntry e = STANDARD.apply(scopeAlert("s1", "open", "medium"), null);
        assertThat(e.messageAttributes()).doesNotContainKey("country");
        assertThat(e.messageAttributes().get("dimension").stringValue()).isEqualTo("scope");
        AlertDocument blank = ipAlert("a1", "open", "high", "203.0.113.9", " ");
        assertThat(STANDARD.apply(blank, null).messageAttributes()).doesNotContainKey("country");
    }

    @Test
    void attributeValuesAreCappedAndFreeOfCharactersSnsRefuses() {
        AlertDocument a = ipAlert("a1", "open", "high", "203.0.113.9", "C\u0000N\uFFFF" + "x".repeat(1000));
        String country = STANDARD.apply(a, null).messageAttributes().get("country").stringValue();
        assertThat(country).startsWith("CN").hasSize(SnsAlertElementConverter.MAX_ATTRIBUTE_CHARS).doesNotContain("\u0000", "\uFFFF");
    }

    @Test
    void subjectSaysSeverityDimensionKeySignalAndDataset() {
        assertThat(STANDARD.apply(ipAlert("a1", "open", "high", "203.0.113.9", "CN"), null).subject())
                .isEqualTo("[spikewatch] HIGH ip 203.0.113.9 requests spike (aws.waf)");
        assertThat(SnsAlertElementConverter.subject(ipAlert("a1", "escalation", "critical", "203.0.113.9", "CN")))
                .isEqualTo("[spikewatch] ESCALATED CRITICAL ip 203.0.113.9 requests spike (aws.waf)");
        assertThat(SnsAlertElementConverter.subject(scopeAlert("s1", "open", "medium")))
                .isEqualTo("[spikewatch] MEDIUM scope foreign 4xx spike (aws.elb)");
    }

    @Test
    void aFullLengthIpv6KeyFitsUncut() {
        String ip = "2001:0db8:85a3:0000:0000:8a2e:0370:7334";
        String subject = SnsAlertElementConverter.subject(ipAlert("a1", "escalation", "critical", ip, "DE"));
        assertThat(subject).contains(" " + ip + " ").hasSizeLessThanOrEqualTo(SnsAlertElementConverter.MAX_SUBJECT_CHARS);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "203.0.113.9\r\nBcc: victim@example.com",
            "\u202Egnp.exe\u202C",
            "\uD83D\uDE00\uD83D\uDD25 emoji \uD83D\uDCA5",
            "tab\there\u0000nul\u0007bell\u001B[31mred",
            "\u00A0\u2028\u2029\u3000",
            "",
    })
    void subjectIsPrintableAsciiWithinTheLimitWhateverTheKey(String key) {
        assertSafeSubject(SnsAlertElementConverter.subject(ipAlert("a1", "escalation", "critical", key, "CN")));
    }

    @Test
    void aTenThousandCharacterKeyIsCutButTheSubjectKeepsItsEnd() {
        String subject = SnsAlertElementConverter.subject(ipAlert("a1", "open", "low", "k".repeat(10_000), "CN"));
        assertSafeSubject(subject);
        assertThat(subject).contains("...").endsWith(" requests spike (aws.waf)");
        String hostile = SnsAlertElementConverter.subject(ipAlert("a1", "open", "low", "\u202E\n".repeat(5_000), "CN"));
        assertSafeSubject(hostile);
    }

    @Test
    void hostileSeverityDimensionAndDatasetAreSanitizedToo() {
        AlertDocument a = ipAlert("a1", "open", "x\n".repeat(100), "203.0.113.9", "CN");
        a.dimension = "\u202E".repeat(300);
        a.dataset = "aws.waf\r\n" + "z".repeat(500);
        assertSafeSubject(SnsAlertElementConverter.subject(a));
    }

    private static void assertSafeSubject(String subject) {
        assertThat(subject).hasSizeLessThanOrEqualTo(99).startsWith("[spikewatch] ").matches("[\\x20-\\x7E]+");
        assertThat(subject).doesNotContain("\n", "\r", "  ").isEqualTo(subject.strip());
    }

    @Test
    void bodyIsTheAlertDocumentJson() throws Exception {
        AlertDocument a = ipAlert("a1", "open", "high", "203.0.113.9", "CN");
        PublishBatchRequestEntry e = STANDARD.apply(a, null);
        assertThat(e.message()).isEqualTo(DocumentJson.alert(a));
        JsonNode body = JSON.readTree(e.message());
        assertThat(body.path("alert").path("id").asText()).isEqualTo("a1");
        assertThat(body.has(AlertMessageBody.TRUNCATED)).isFalse();
    }

    @Test
    void aHugeEvidenceListIsHalvedUntilTheBodyFitsAndStaysValidJson() throws Exception {
        AlertDocument a = ipAlert("a1", "open", "high", "203.0.113.9", "CN");
        int ids = 60_000;
        a.evidence.sampleRequestIds = new String[ids];
        for (int i = 0; i < ids; i++) a.evidence.sampleRequestIds[i] = "request-" + i + "-\u00e9\u4e2d-" + "r".repeat(40);
        a.evidence.sampleCount = ids;
        assertThat(DocumentJson.alert(a).getBytes(StandardCharsets.UTF_8).length).isGreaterThan(3 * CAP);

        String message = STANDARD.apply(a, null).message();

        assertThat(message.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(CAP);
        JsonNode body = JSON.readTree(message);
        assertThat(body.path(AlertMessageBody.TRUNCATED).asBoolean()).isTrue();
        assertThat(body.path("alert").path("id").asText()).isEqualTo("a1");
        assertThat(body.path("alert").path("severity").asText()).isEqualTo("high");
        JsonNode kept = body.path("evidence").path("sample_request_ids");
        assertThat(kept.size()).isBetween(1, ids / 2);
        assertThat(kept.get(0).asText()).isEqualTo(a.evidence.sampleRequestIds[0]);
        assertThat(body.path("evidence").path("top_uris").get(0).path("value").asText()).isEqualTo("/login");
    }

    @Test
    void aHugeKeyDropsEvidenceAndShortensStringsButStaysValidJson() throws Exception {
        String key = "\u4e2d".repeat(200_000);
        AlertDocument a = ipAlert("a1", "open", "high", key, "CN");
        String message = AlertMessageBody.render(a, CAP);
        assertThat(message.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(CAP);
        JsonNode body = JSON.readTree(message);
        assertThat(body.path(AlertMessageBody.TRUNCATED).asBoolean()).isTrue();
        assertThat(body.has("evidence")).isFalse();
        assertThat(body.path("key").asText()).hasSize(256);
        assertThat(body.path("alert").path("change").asText()).isEqualTo("open");
    }

    @Test
    void fifoEntriesGroupByAlertAndDeduplicateByAlertChangeAndSeverity() {
        PublishBatchRequestEntry open = FIFO.apply(ipAlert("0123456789abcdef0123456789abcdef", "open", "high", "203.0.113.9", "CN"), null);
        PublishBatchRequestEntry again = FIFO.apply(ipAlert("0123456789abcdef0123456789abcdef", "open", "high", "203.0.113.9", "CN"), null);
        PublishBatchRequestEntry escalation = FIFO.apply(
                ipAlert("0123456789abcdef0123456789abcdef", "escalation", "critical", "203.0.113.9", "CN"), null);

        assertThat(open.messageGroupId()).isEqualTo("0123456789abcdef0123456789abcdef");
        assertThat(open.messageDeduplicationId()).isEqualTo("0123456789abcdef0123456789abcdef-open-high");
        assertThat(again.messageDeduplicationId()).isEqualTo(open.messageDeduplicationId());
        assertThat(again.id()).isNotEqualTo(open.id());
        assertThat(escalation.messageGroupId()).isEqualTo(open.messageGroupId());
        assertThat(escalation.messageDeduplicationId()).isEqualTo("0123456789abcdef0123456789abcdef-escalation-critical");
    }

    @Test
    void fifoIdsStayValidWhenTheAlertIdIsMissingOrHostile() {
        for (String id : new String[] {null, "", "x\ny", "z".repeat(500)}) {
            PublishBatchRequestEntry e = FIFO.apply(ipAlert(id, "open", "high\u202E".repeat(50), "203.0.113.9", "CN"), null);
            assertThat(e.messageGroupId()).matches("[A-Za-z0-9_-]{1,128}");
            assertThat(e.messageDeduplicationId()).matches("[A-Za-z0-9_-]{1,128}");
        }
    }

    @Test
    void standardTopicsGetNoFifoIds() {
        PublishBatchRequestEntry e = STANDARD.apply(ipAlert("a1", "open", "high", "203.0.113.9", "CN"), null);
        assertThat(e.messageGroupId()).isNull();
        assertThat(e.messageDeduplicationId()).isNull();
        assertThat(e.id()).matches("[A-Za-z0-9_-]{1,80}");
    }
}
