package io.spikewatch.cli;

import io.spikewatch.config.ConfigArgs;
import io.spikewatch.config.ConfigException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The CLI's {@code --config}/{@code --set} give what {@code StreamingJob.main} gets from the same arguments. */
class ConfigOptionsTest {
    private static ConfigOptions parse(String... args) {
        ConfigOptions o = new ConfigOptions();
        new CommandLine(o).parseArgs(args);
        return o;
    }

    @Test
    void theCliAndTheJobParseTheSameArgumentsAlike() throws Exception {
        String[] args = {"--config", "jobs/local", "--set", "job.parallelism=3", "--set", "job.parallelism=4",
                "--set", "geo.home-countries=JP"};
        ConfigOptions o = parse(args);

        assertThat(o.args()).isEqualTo(ConfigArgs.parse(args));
        assertThat(o.args().values()).isEqualTo(ConfigArgs.parse(args).values());
        assertThat(o.load(java.util.Map.of()).parallelism()).isEqualTo(4);
    }

    @Test
    void aBadSetIsAConfigExceptionNamingIt() {
        ConfigOptions o = parse("--set", "job.parallelism");
        assertThatThrownBy(o::overrides).isInstanceOf(ConfigException.class)
                .hasMessage("--set expects KEY=VALUE, got 'job.parallelism'");
    }
}
