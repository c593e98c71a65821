package io.chainwatch.cli;

import io.chainwatch.sigma.SigmaConverter;
import io.chainwatch.sigma.SigmaRule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code chainwatch patterns import-sigma FILE|DIR [--out DIR]}: SigmaHQ Kubernetes audit rules to pattern files. */
@Command(name = "import-sigma", mixinStandardHelpOptions = true,
        description = {"Convert SigmaHQ Kubernetes audit rules (logsource product: kubernetes, service: audit) into chainwatch patterns.",
                "Detection rules become single-event patterns, temporal_ordered correlations sequences, event_count and"
                        + " value_count correlations the aggregate form. Every converted pattern gets a generated firing and"
                        + " quiet test when they can be built mechanically.",
                "Prints one line per input rule: converted (and where to), or NOT converted and why. Without --out the"
                        + " patterns are printed to stdout (as YAML documents) and the report goes to stderr.",
                "Exit 0 when every rule converted, 1 when some could not be (the others are still written), 2 on unreadable input."})
public final class ImportSigmaCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "Sigma rule files, or directories searched for *.yml/*.yaml.")
    List<Path> inputs = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "Write one <id>.yaml per converted rule into DIR (created if missing).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        PrintWriter report = out != null ? stdout : stderr;
        boolean unreadable = false;
        List<SigmaRule> rules = new ArrayList<>();
        for (Path input : inputs) {
            List<Path> files;
            try {
                files = SigmaRule.files(input);
            } catch (IOException e) {
                report.println(input + ": unreadable: " + e.getMessage());
                unreadable = true;
                continue;
            }
            if (files.isEmpty()) {
                report.println(input + ": no .yml or .yaml files");
            }
            for (Path f : files) {
                try {
                    rules.addAll(SigmaRule.read(f));
                } catch (IOException e) {
                    report.println(f + ": unreadable: " + e.getMessage());
                    unreadable = true;
                }
            }
        }
        if (out != null) {
            try {
                Files.createDirectories(out);
            } catch (IOException e) {
                stderr.println("chainwatch: cannot create " + out + ": " + e.getMessage());
                return 2;
            }
        }
        List<SigmaConverter.Result> results = SigmaConverter.convert(rules);
        int converted = 0;
        int failed = 0;
        int skipped = 0;
        boolean firstDocument = true;
        for (SigmaConverter.Result r : results) {
            String head = r.rule.location() + ": " + r.rule.label();
            switch (r.status) {
                case CONVERTED: {
                    String where;
                    if (out != null) {
                        Path file = out.resolve(r.patternId + ".yaml");
                        try {
                            Files.writeString(file, r.yaml, StandardCharsets.UTF_8);
                        } catch (IOException e) {
                            report.println(head + ": NOT converted: cannot write " + file + ": " + e.getMessage());
                            failed++;
                            continue;
                        }
                        where = file.toString();
                    } else {
                        if (!firstDocument) {
                            stdout.println("---");
                        }
                        stdout.print(r.yaml);
                        firstDocument = false;
                        where = "stdout";
                    }
                    converted++;
                    report.println(head + ": converted (" + r.form + ") → " + where
                            + (r.testsOmitted == null ? "" : " [no tests: " + r.testsOmitted + "]"));
                    break;
                }
                case SKIPPED:
                    skipped++;
                    report.println(head + ": skipped: " + r.reason);
                    break;
                default:
                    failed++;
                    report.println(head + ": NOT converted: " + r.reason);
            }
        }
        report.printf("%d rule(s): %d converted, %d not converted%s%n", results.size(), converted, failed,
                skipped > 0 ? ", " + skipped + " used only by correlations" : "");
        stdout.flush();
        report.flush();
        return unreadable ? 2 : failed > 0 ? 1 : 0;
    }
}
