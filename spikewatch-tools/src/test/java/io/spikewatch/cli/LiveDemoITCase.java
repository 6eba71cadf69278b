package io.spikewatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spikewatch.connectors.opensearch.OpenSearchHttpClient;
import io.spikewatch.connectors.opensearch.OpenSearchSettings;
import io.spikewatch.evaluation.Evaluator;
import io.spikewatch.evaluation.TruthIncident;
import io.spikewatch.testing.LocalKinesisServer;
import io.spikewatch.testing.LocalOpenSearch;
import io.spikewatch.testing.LocalSnsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code live-demo} end to end on the real local servers (started here with the test helpers, so
 * the command runs with {@code --skip-stack-start}): a 30-minute single-IP flood scenario streamed
 * at 120x into fresh Kinesis streams, the live job on a MiniCluster, and then what a subscriber of the
 * SNS topic received and what the alerts index holds. No timing is asserted.
 */
@ExtendWith(LocalOpenSearch.class)
class LiveDemoITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final Map<String, String> SAVED = new HashMap<>();

    private static LocalKinesisServer kinesis;
    private static LocalSnsServer sns;

    @BeforeAll
    static void servers() throws Exception {
        for (String p : new String[] {"aws.accessKeyId", "aws.secretAccessKey", "aws.secretKey"}) {
            SAVED.put(p, System.getProperty(p));
        }
        kinesis = LocalKinesisServer.startOrReuse();
        sns = LocalSnsServer.ensureRunning();
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (kinesis != null) kinesis.close();
        if (sns != null) sns.close();
        SAVED.forEach((k, v) -> {
            if (v == null) System.clearProperty(k);
            else System.setProperty(k, v);
        });
    }

    @Test
    void labelledFloodReachesTheSnsSubscriberAndTheAlertsIndex(@TempDir Path dir) throws Exception {
        String prefix = "it-live-" + RUN;
        int exit = SpikewatchCli.execute("live-demo", "--skip-stack-start", "--scenario", "ip-flood", "--duration", "30m",
                "--speed", "120", "--ips", "200", "--rate", "2", "--seed", "5", "--out", dir.toString(),
                "--config", "jobs/local", "--set", "opensearch.index-prefix=" + prefix,
                "--set", "sns.topic-arn=arn:aws:sns:us-east-1:000000000000:it-live-" + RUN);
        assertThat(exit).isZero();

        List<TruthIncident> truth = Evaluator.readTruth(dir.resolve("logs/truth.jsonl"));
        assertThat(truth).hasSize(1);
        TruthIncident flood = truth.get(0);

        List<JsonNode> received = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("sns-alerts.jsonl"), StandardCharsets.UTF_8)) {
            received.add(JSON.readTree(line));
        }
        assertThat(received).anySatisfy(m -> {
            assertThat(m.path("dimension").asText()).isEqualTo("ip");
            assertThat(m.path("key").asText()).isEqualTo(flood.key());
            assertThat(m.path("alert").path("change").asText()).isEqualTo("open");
        });

        OpenSearchHttpClient os = new OpenSearchHttpClient(OpenSearchSettings.fromMap(
                Map.of("opensearch.hosts", LocalOpenSearch.url(), "opensearch.index-prefix", prefix)));
        os.post("/" + prefix + "-alerts-*/_refresh", "{}");
        OpenSearchHttpClient.Response r = os.post("/" + prefix + "-alerts-*/_search", "{\"query\":{\"bool\":{\"filter\":["
                + "{\"term\":{\"dimension\":\"ip\"}},{\"term\":{\"key\":\"" + flood.key() + "\"}}]}}}");
        assertThat(r.ok()).as(r.body()).isTrue();
        assertThat(JSON.readTree(r.body()).path("hits").path("hits")).isNotEmpty();
    }
}
