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
        subcommands = {PatternsCommand.Validate.class, PatternsCommand.Test.class, PatternsCommand.Explain.class, PatternsCommand.New.class, CoverageCommand.class, ImportSigmaCommand.class})
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

        @picocli.CommandLine.Mixin
        LimitsOptions limits = new LimitsOptions();

        @picocli.CommandLine.Option(names = "--source", paramLabel = "SOURCE",
                description = "Also warn about patterns that this log source cannot feed: audit, aks, eks or gke.")
        String source;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Path p = path != null ? path : ProjectPaths.patterns();
            PatternLoader.Result result = PatternLoader.load(p, overrides, limits.limits());
            if (source != null) {
                for (io.chainwatch.pattern.PatternDefinition d : result.patterns) {
                    for (String w : io.chainwatch.pattern.SourceCapabilities.warnings(d, source)) {
                        spec.commandLine().getErr().println(d.file + ": warning: " + d.id + " " + w);
                    }
                }
            }
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

        @picocli.CommandLine.Mixin
        PatternSetOptions set = new PatternSetOptions();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            java.util.List<io.chainwatch.pattern.PatternDefinition> pack;
            try {
                pack = set.load(err);
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

    @Command(name = "explain", mixinStandardHelpOptions = true,
            description = "Show the compiled plan of a pattern: how it is evaluated (router, CEP graph or keyed function), key, windows, prefilter predicates.")
    static final class Explain implements Callable<Integer> {
        @Parameters(arity = "1", paramLabel = "ID", description = "Pattern id.")
        String id;

        @picocli.CommandLine.Mixin
        PatternSetOptions set = new PatternSetOptions();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            java.util.List<io.chainwatch.pattern.PatternDefinition> pack;
            try {
                pack = set.load(err);
            } catch (io.chainwatch.pattern.PatternLoadException e) {
                err.println(e.getMessage());
                return 2;
            }
            for (io.chainwatch.pattern.PatternDefinition d : pack) {
                if (d.id.equals(id)) {
                    spec.commandLine().getOut().print(io.chainwatch.explain.PatternExplainer.explain(d));
                    spec.commandLine().getOut().flush();
                    return 0;
                }
            }
            err.println("chainwatch: no pattern with id '" + id + "'");
            return 2;
        }
    }

    @Command(name = "new", mixinStandardHelpOptions = true,
            description = "Write a new pattern file (a valid two-step sequence with a firing and a quiet test) to edit.")
    static final class New implements Callable<Integer> {
        @Parameters(arity = "1", paramLabel = "ID", description = "Id of the new pattern: lower-case letters, digits and '-'.")
        String id;

        @picocli.CommandLine.Option(names = "--patterns", paramLabel = "DIR", description = "Pattern directory (default: the shipped cep-patterns/).")
        Path patterns;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            if (!id.matches("[a-z0-9][a-z0-9-]*")) {
                err.println("chainwatch: id '" + id + "' must be lower-case letters, digits and '-'");
                return 2;
            }
            Path dir = patterns != null ? patterns : ProjectPaths.patterns();
            Path file = dir.resolve(id + ".yaml");
            if (java.nio.file.Files.exists(file)) {
                err.println("chainwatch: " + file + " already exists");
                return 2;
            }
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Files.writeString(file, io.chainwatch.explain.PatternScaffold.render(id));
            PrintWriter out = spec.commandLine().getOut();
            out.println("wrote " + file);
            out.println("next: edit it, then ./chainwatch patterns validate && ./chainwatch patterns test " + id
                    + " && ./chainwatch patterns explain " + id);
            out.flush();
            return 0;
        }
    }
}
