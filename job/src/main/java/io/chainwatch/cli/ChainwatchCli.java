package io.chainwatch.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the shaded jar: {@code java -jar chainwatch.jar <command>} or {@code flink run chainwatch.jar <command>}. */
@Command(name = "chainwatch",
        mixinStandardHelpOptions = true,
        versionProvider = ChainwatchCli.Version.class,
        description = "Finds multi-step attack sequences in Kubernetes audit logs with Flink CEP.",
        subcommands = {DetectCommand.class, DemoCommand.class, BacktestCommand.class, PatternsCommand.class, GenerateCommand.class, BenchCommand.class, ParseBaselineCommand.class, CommandLine.HelpCommand.class})
public final class ChainwatchCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // A benchmark step reports its own memory and wall time (see RunReport); nothing happens otherwise.
        io.chainwatch.bench.RunReport report = io.chainwatch.bench.RunReport.startIfRequested();
        int code = run(args);
        if (report != null) {
            report.finish(code);
        }
        System.exit(code);
    }

    public static int run(String... args) {
        CommandLine cl = new CommandLine(new ChainwatchCli());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("chainwatch: " + rootMessage(ex));
            if (System.getenv("CHAINWATCH_DEBUG") != null) {
                ex.printStackTrace(commandLine.getErr());
            } else {
                commandLine.getErr().println("(set CHAINWATCH_DEBUG=1 for the stack trace)");
            }
            return 1;
        });
        return cl.execute(args);
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        return root == t ? String.valueOf(msg) : t.getMessage() + " — caused by " + root.getClass().getSimpleName() + ": " + msg;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ChainwatchCli.class.getPackage().getImplementationVersion();
            return new String[] {"chainwatch " + (v == null ? "dev" : v) + " (Flink "
                    + org.apache.flink.runtime.util.EnvironmentInformation.getVersion() + ")"};
        }
    }
}
