package io.chainwatch.cli;

import io.chainwatch.coverage.CoverageReport;
import io.chainwatch.coverage.PeerRuleCatalog;
import io.chainwatch.pattern.PatternLoader;
import io.chainwatch.pattern.PatternProblem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code chainwatch patterns coverage}: which Defender, Falco, Sigma and Elastic rules the patterns cover. */
@Command(name = "coverage", mixinStandardHelpOptions = true,
        description = {"Show which rules of Microsoft Defender for Containers, Falco, SigmaHQ and Elastic the patterns "
                + "cover, from their 'equivalents', with covered N/M counts per source.",
                "A peer rule named in 'equivalents' that is not in the catalogue (cep-patterns/coverage/*.yaml) is an "
                        + "error, printed as file:line:column.",
                "Exit codes: 0 ok; 1 unknown peer rules, or --check found FILE out of date; 2 the patterns or the "
                        + "catalogue do not load."})
public final class CoverageCommand implements Callable<Integer> {

    @Option(names = "--patterns", paramLabel = "DIR", description = "Pattern file or directory (default: the shipped cep-patterns/).")
    Path patterns;

    @Option(names = "--catalog", paramLabel = "DIR",
            description = "Directory with defender.yaml, falco.yaml, sigma.yaml and elastic.yaml (default: coverage/ "
                    + "in the pattern directory if it has one, else the shipped cep-patterns/coverage/).")
    Path catalog;

    @Option(names = "--markdown", description = "Write Markdown (the content of cep-patterns/COVERAGE.md) instead of a terminal table.")
    boolean markdown;

    @Option(names = "--check", paramLabel = "FILE",
            description = "Instead of printing the report, compare FILE with the Markdown that would be generated; exit 1 if it differs.")
    Path check;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path root = patterns != null ? patterns : ProjectPaths.patterns();
        PatternLoader.Result loaded = PatternLoader.load(root);
        for (PatternProblem p : loaded.problems) {
            err.println(p);
        }
        if (loaded.hasErrors()) {
            err.println("chainwatch: the pattern set has errors; fix them first (chainwatch patterns validate)");
            return 2;
        }
        Path catalogDir = catalogDir(root);
        PeerRuleCatalog peers;
        try {
            peers = PeerRuleCatalog.load(catalogDir);
        } catch (PeerRuleCatalog.CatalogException e) {
            err.println(e.getMessage());
            err.println("chainwatch: the peer-rule catalogue in " + catalogDir + " has errors");
            return 2;
        }
        CoverageReport report = CoverageReport.build(loaded.patterns, peers, root);
        if (report.hasErrors()) {
            report.problems().forEach(err::println);
            err.printf("chainwatch: %d unknown peer rule(s) in equivalents; the catalogue is %s%n",
                    report.problems().size(), catalogDir);
            return 1;
        }
        if (check != null) {
            return check(report.markdown(), out, err);
        }
        out.print(markdown ? report.markdown() : report.text());
        out.flush();
        return 0;
    }

    private Path catalogDir(Path root) {
        if (catalog != null) {
            return catalog;
        }
        Path own = root.resolve("coverage");
        if (Files.isDirectory(root) && Files.isDirectory(own)) {
            return own;
        }
        return ProjectPaths.patterns().resolve("coverage");
    }

    private int check(String expected, PrintWriter out, PrintWriter err) throws java.io.IOException {
        if (!Files.isRegularFile(check)) {
            err.printf("chainwatch: %s does not exist; generate it with %s%n", check, CoverageReport.GENERATE_COMMAND);
            return 1;
        }
        String actual = Files.readString(check, StandardCharsets.UTF_8).replace("\r\n", "\n");
        if (actual.equals(expected)) {
            out.printf("%s is up to date%n", check);
            out.flush();
            return 0;
        }
        String[] a = actual.split("\n", -1);
        String[] e = expected.split("\n", -1);
        int line = 0;
        while (line < a.length && line < e.length && a[line].equals(e[line])) {
            line++;
        }
        err.printf("chainwatch: %s is out of date (first difference on line %d); regenerate it with %s%n",
                check, line + 1, CoverageReport.GENERATE_COMMAND);
        if (line < e.length) {
            err.printf("  expected: %s%n", e[line]);
        }
        if (line < a.length) {
            err.printf("  found:    %s%n", a[line]);
        }
        return 1;
    }
}
