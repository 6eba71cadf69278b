package io.spikewatch.cli;

import io.spikewatch.loader.LogRecordPacker.Format;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Option handling of {@code put} that needs no server. */
class PutCommandTest {
    private static PutCommand parse(String... args) {
        PutCommand c = new PutCommand();
        new CommandLine(c).parseArgs(args);
        return c;
    }

    @Test
    void formatsAndBatchLines() {
        PutCommand lines = parse("--stream", "s", "--input", "x");
        assertThat(lines.format()).isEqualTo(Format.LINES);
        assertThat(lines.batchLines(Format.LINES)).isEqualTo(1);

        PutCommand cw = parse("--stream", "s", "--input", "x", "y", "--format", "CloudWatch", "--batch-lines", "250");
        assertThat(cw.format()).isEqualTo(Format.CLOUDWATCH);
        assertThat(cw.batchLines(Format.CLOUDWATCH)).isEqualTo(250);
        assertThat(cw.inputs).hasSize(2);
        assertThat(parse("--stream", "s", "--input", "x", "--format", "gzip").batchLines(Format.GZIP))
                .isEqualTo(PutCommand.DEFAULT_BATCH_LINES);
    }

    @Test
    void badOptionsAreUserErrorsNamingTheOption() {
        assertThatThrownBy(() -> parse("--stream", "s", "--input", "x", "--format", "json").format())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--format");
        assertThatThrownBy(() -> parse("--stream", "s", "--input", "x", "--batch-lines", "5").batchLines(Format.LINES))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--batch-lines");
        assertThatThrownBy(() -> parse("--stream", "s", "--input", "x", "--format", "gzip", "--batch-lines", "0")
                .batchLines(Format.GZIP)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--batch-lines");
        assertThatThrownBy(() -> parse("--stream", "s", "--input", "x", "--shards", "2").call())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--shards needs --create-stream");
    }
}
