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
        subcommands = {PatternsCommand.Validate.class, PatternsCommand.Test.class})
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

        @picocli.CommandLine.Option(names = "--overrides", paramLabel = "PATH", description = "Site override file or directory; repeatable.")
        java.util.List<Path> overrides = new java.util.ArrayList<>();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Path p = path != null ? path : ProjectPaths.patterns();
            PatternLoader.Result result = PatternLoader.load(p, overrides);
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

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = "Run the tests inside pattern files (all, or those of the given ids) in one Flink job. Exit 1 on any failure.")
    static final class Test implements Callable<Integer> {
        @Parameters(arity = "0..*", paramLabel = "ID", description = "Pattern ids to test (default: all).")
        java.util.List<String> ids = new java.util.ArrayList<>();

        @picocli.CommandLine.Option(names = "--patterns", paramLabel = "DIR", description = "Pattern directory (default: the shipped cep-patterns/).")
        Path patterns;

        @picocli.CommandLine.Option(names = "--overrides", paramLabel = "PATH", description = "Site override file or directory; repeatable.")
        java.util.List<Path> overrides = new java.util.ArrayList<>();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            java.util.List<io.chainwatch.pattern.PatternDefinition> pack;
            try {
                pack = DetectCommand.loadPatterns(patterns, overrides, err);
            } catch (io.chainwatch.pattern.PatternLoadException e) {
                err.println(e.getMessage());
                return 2;
            }
            java.util.Set<String> known = new java.util.HashSet<>();
            pack.forEach(d -> known.add(d.id));
            for (String id : ids) {
                if (!known.contains(id)) {
                    err.println("chainwatch: no pattern with id '" + id + "'");
                    return 2;
                }
            }
            java.util.List<io.chainwatch.patterntest.PatternTestRunner.Result> results =
                    io.chainwatch.patterntest.PatternTestRunner.run(
                            org.apache.flink.streaming.api.environment.StreamExecutionEnvironment.getExecutionEnvironment(),
                            pack, new java.util.HashSet<>(ids));
            long failed = results.stream().filter(r -> !r.passed()).count();
            results.forEach(r -> out.print(r.describe()));
            out.printf("%d passed, %d failed%n", results.size() - failed, failed);
            out.flush();
            return failed == 0 ? 0 : 1;
        }
    }
}
