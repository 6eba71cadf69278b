package io.spikewatch.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/kubernetes/flinkdeployment.yaml against the Flink Kubernetes Operator's own CRD schema (the
 * one its API jar ships and its Helm chart installs) made strict, as {@code kubectl apply
 * --validate=strict} is: an unknown field is an error, not silently pruned. Then the operator's rules
 * for this deployment (savepoint upgrades need a savepoint directory, Kubernetes HA a storage
 * directory, s3:// paths the S3 plugin) and its agreement with docker/Dockerfile.
 */
class KubernetesManifestTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path MANIFEST = Path.of("deploy/kubernetes/flinkdeployment.yaml");
    private static final String CRD = "META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml";

    private static JsonSchema strictSchema() throws Exception {
        JsonNode crd;
        try (InputStream in = KubernetesManifestTest.class.getClassLoader().getResourceAsStream(CRD)) {
            assertThat(in).as(CRD + " on the test classpath (flink-kubernetes-operator-api)").isNotNull();
            crd = YAML.readTree(in);
        }
        JsonNode schema = null;
        for (JsonNode version : crd.path("spec").path("versions")) {
            if (version.path("name").asText().equals("v1beta1")) schema = version.path("schema").path("openAPIV3Schema");
        }
        assertThat(schema).as("v1beta1 schema in the CRD").isNotNull();
        // The root's apiVersion, kind and metadata are Kubernetes' own, not in the CRD's schema.
        schema.path("properties").elements().forEachRemaining(KubernetesManifestTest::forbidUnknownFields);
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema);
    }

    /** Objects with declared properties accept no others, unless Kubernetes keeps unknown fields there. */
    private static void forbidUnknownFields(JsonNode node) {
        if (node instanceof ObjectNode o) {
            if (o.has("properties") && !o.has("additionalProperties")
                    && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                o.put("additionalProperties", false);
            }
            o.elements().forEachRemaining(KubernetesManifestTest::forbidUnknownFields);
        } else if (node != null && node.isArray()) {
            node.elements().forEachRemaining(KubernetesManifestTest::forbidUnknownFields);
        }
    }

    private static JsonNode manifest() throws Exception {
        return YAML.readTree(MANIFEST.toFile());
    }

    @Test
    void theManifestMatchesTheOperatorsSchema() throws Exception {
        JsonNode manifest = manifest();
        assertThat(manifest.path("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
        assertThat(manifest.path("kind").asText()).isEqualTo("FlinkDeployment");
        Set<ValidationMessage> errors = strictSchema().validate(manifest);
        assertThat(errors).isEmpty();
    }

    @Test
    void theStrictSchemaRejectsAMisspelledFieldAndAnUnknownFlinkVersion() throws Exception {
        JsonSchema schema = strictSchema();
        ObjectNode typo = (ObjectNode) manifest();
        ObjectNode job = (ObjectNode) typo.path("spec").path("job");
        job.set("upgradeMod", job.remove("upgradeMode"));
        assertThat(schema.validate(typo)).anyMatch(m -> m.getMessage().contains("upgradeMod"));

        ObjectNode version = (ObjectNode) manifest();
        ((ObjectNode) version.path("spec")).put("flinkVersion", "v1_99");
        assertThat(schema.validate(version)).anyMatch(m -> m.getMessage().contains("flinkVersion"));
    }

    @Test
    void savepointUpgradesRocksDbAndKubernetesHaHaveTheirDirectories() throws Exception {
        JsonNode spec = manifest().path("spec");
        JsonNode conf = spec.path("flinkConfiguration");
        assertThat(spec.path("job").path("upgradeMode").asText()).isEqualTo("savepoint");
        assertThat(conf.path("state.savepoints.dir").asText()).startsWith("s3://");
        assertThat(conf.path("state.checkpoints.dir").asText()).startsWith("s3://");
        assertThat(conf.path("state.backend.type").asText()).isEqualTo("rocksdb");
        assertThat(conf.path("state.backend.incremental").asText()).isEqualTo("true");
        assertThat(conf.path("high-availability.type").asText()).isEqualTo("kubernetes");
        assertThat(conf.path("high-availability.storageDir").asText()).startsWith("s3://");
        assertThat(conf.path("restart-strategy.type").asText()).isEqualTo("exponential-delay");
        // s3:// paths need the S3 file system plugin, which the official image ships disabled.
        String plugins = "";
        for (JsonNode container : spec.path("podTemplate").path("spec").path("containers")) {
            for (JsonNode env : container.path("env")) {
                if (env.path("name").asText().equals("ENABLE_BUILT_IN_PLUGINS")) plugins = env.path("value").asText();
            }
        }
        assertThat(plugins).matches("flink-s3-fs-(presto|hadoop)-1\\.20\\.\\d+\\.jar");
    }

    @Test
    void theJobIsTheJarAndProfileTheImageHolds() throws Exception {
        JsonNode job = manifest().path("spec").path("job");
        String dockerfile = Files.readString(Path.of("docker/Dockerfile"));
        Matcher copy = Pattern.compile("COPY --chown=flink:flink spikewatch-job/target/spikewatch-job.jar (\\S+)")
                .matcher(dockerfile);
        assertThat(copy.find()).as("the Dockerfile copies the job jar").isTrue();
        assertThat(job.path("jarURI").asText()).isEqualTo("local://" + copy.group(1));
        assertThat(dockerfile).contains("COPY --chown=flink:flink jobs/ /opt/flink/usrlib/jobs/");
        assertThat(dockerfile).containsPattern("FROM flink:1\\.20(\\.\\d+)?-java17");
        assertThat(job.path("entryClass").asText()).isEqualTo("io.spikewatch.StreamingJob");
        Iterator<JsonNode> args = job.path("args").elements();
        assertThat(args.next().asText()).isEqualTo("--config");
        String profile = args.next().asText();
        assertThat(profile).startsWith("/opt/flink/usrlib/jobs/");
        assertThat(Path.of("jobs").resolve(profile.substring("/opt/flink/usrlib/jobs/".length()))
                .resolve("spikewatch.properties")).exists();
        assertThat(manifest().path("spec").path("flinkVersion").asText()).isEqualTo("v1_20");
    }
}
