package io.chainwatch.cli;

import io.chainwatch.pattern.PatternLoader;
import io.chainwatch.pattern.PatternProblem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code chainwatch patterns ...}: the researcher's toolbox. */
@Command(name = "patterns", mixinStandardHelpOptions = true,
        description = "Work with pattern files.",
        subcommands = {PatternsCommand.Validate.class})
public final class PatternsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check pattern files; prints every problem as file:line:column: message. Exit 1 on any error.")
    static final class Validate implements Callable<Integer> {
        @Parameters(arity = "0..1", paramLabel = "PATH", description = "Pattern file or directory (default: the shipped cep-patterns/).")
        Path path;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Path p = path != null ? path : ProjectPaths.patterns();
            PatternLoader.Result result = PatternLoader.load(p);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            for (PatternProblem problem : result.problems) {
                err.println(problem);
            }
            long errors = result.problems.stream().filter(PatternProblem::isError).count();
            long warnings = result.problems.size() - errors;
            if (errors > 0) {
                err.printf("%d error(s), %d warning(s) in %s%n", errors, warnings, p);
                return 1;
            }
            out.printf("%d pattern(s) valid in %s%s%n", result.patterns.size(), p,
                    warnings > 0 ? " (" + warnings + " warning(s))" : "");
            return 0;
        }
    }
}
