package io.spikewatch.cli;

import io.spikewatch.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * Entry point of {@code ./spikewatch}: {@code demo}, {@code live-demo}, {@code replay}, {@code generate},
 * {@code evaluate}, {@code config}. User errors (bad arguments, missing files, bad configuration)
 * print one clear line and exit 2; anything else is a bug and prints its stack trace.
 */
@Command(name = "spikewatch", mixinStandardHelpOptions = true, version = "spikewatch 0.1.0",
        description = "Streaming spike detection for AWS WAF and ALB logs on Apache Flink.",
        subcommands = {DemoCommand.class, LiveDemoCommand.class, BenchCommand.class, ReplayCommand.class, GenerateCommand.class,
                EvaluateCommand.class, ScorecardCommand.class, SetupCommand.class, PutCommand.class, RunCommand.class,
                ConfigCommand.class, LatencyBenchCommand.class, DenyListCommand.class, ReportCommand.class, CommandLine.HelpCommand.class})
public class SpikewatchCli implements Runnable {
    public static final int USER_ERROR = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command (try --help)");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new SpikewatchCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            Throwable user = userError(e);
            PrintWriter err = commandLine.getErr();
            if (user != null) {
                err.println("spikewatch: " + user.getMessage());
                return USER_ERROR;
            }
            err.println("spikewatch: unexpected failure (a bug, please report it):");
            e.printStackTrace(err);
            return 1;
        });
        return cli.execute(args);
    }

    /** The first cause that is a user error (configuration, missing or unreadable files), if any. */
    static Throwable userError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException || t instanceof IOException || t instanceof UncheckedIOException
                    || t instanceof IllegalArgumentException) {
                return t;
            }
            if (t.getCause() == t) break;
        }
        return null;
    }
}
