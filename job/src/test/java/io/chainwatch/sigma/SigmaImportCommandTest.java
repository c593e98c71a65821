package io.chainwatch.sigma;

import io.chainwatch.cli.ChainwatchCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code chainwatch patterns import-sigma}: report lines, output files and exit codes. */
class SigmaImportCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new ChainwatchCli());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] full = new String[args.length + 2];
        full[0] = "patterns";
        full[1] = "import-sigma";
        System.arraycopy(args, 0, full, 2, args.length);
        return cl.execute(full);
    }

    private static String fixture(String name) {
        return SigmaConverterTest.FIXTURES.resolve(name).toString();
    }

    private static long yamlFiles(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".yaml")).count();
        }
    }

    @Test
    void aConvertibleFileIsWrittenAndExitsZero(@TempDir Path dir) throws Exception {
        int code = run(fixture("string_modifiers.yml"), "--out", dir.toString());
        assertThat(code).as(out + "" + err).isZero();
        Path written = dir.resolve("sigma-secrets-read-by-scripted-client.yaml");
        assertThat(written).exists();
        assertThat(Files.readString(written)).contains("id: sigma-secrets-read-by-scripted-client");
        assertThat(out.toString()).contains("Secrets Read By Scripted Client (11111111-aaaa-4aaa-8aaa-000000000001): converted (single-event) → "
                + written).contains("1 rule(s): 1 converted, 0 not converted");
    }

    @Test
    void aDirectoryWithUnconvertibleRulesExitsOneAndStillWritesTheOthers(@TempDir Path dir) throws Exception {
        int code = run(SigmaConverterTest.FIXTURES.toString(), "--out", dir.toString());
        assertThat(code).as(out + "" + err).isEqualTo(1);
        String report = out.toString();
        assertThat(report.lines().filter(l -> l.contains(": converted (")).count()).isEqualTo(yamlFiles(dir)).isGreaterThanOrEqualTo(12);
        assertThat(report).contains("Encoded Payload In Pod Command (11111111-aaaa-4aaa-8aaa-000000000060): NOT converted:"
                + " condition uses '|base64offset' modifier, which chainwatch cannot express");
        assertThat(report).contains("correlation_temporal_ordered.yml#2: ClusterRole Created (11111111-aaaa-4aaa-8aaa-000000000011): skipped:");
        assertThat(report).contains("converted (aggregate) → " + dir.resolve("sigma-burst-of-forbidden-requests-by-one-user.yaml"));
        // One line per rule, plus the summary.
        long rules = 0;
        for (Path f : SigmaRule.files(SigmaConverterTest.FIXTURES)) {
            rules += SigmaRule.read(f).size();
        }
        assertThat(report.lines().count()).isEqualTo(rules + 1);
        assertThat(report.lines().reduce((a, b) -> b).orElse("")).matches(rules + " rule\\(s\\): \\d+ converted, 8 not converted, 7 used only by correlations");
    }

    @Test
    void withoutOutThePatternsGoToStdoutAndTheReportToStderr() throws Exception {
        int code = run(fixture("correlation_temporal_ordered.yml"), fixture("regex_modifiers.yml"));
        assertThat(code).as(err.toString()).isZero();
        String[] docs = out.toString().split("(?m)^---$");
        assertThat(docs).hasSize(2);
        assertThat(docs[0]).contains("id: sigma-role-created-then-bound-by-the-same-user").contains("steps:");
        assertThat(docs[1]).contains("id: sigma-numbered-admin-account-talks-to-kubelet-proxy");
        assertThat(err.toString()).contains("converted (sequence) → stdout").contains("skipped: used by correlation")
                .contains("4 rule(s): 2 converted, 0 not converted, 2 used only by correlations");
    }

    @Test
    void unreadableInputExitsTwo(@TempDir Path dir) throws Exception {
        assertThat(run(dir.resolve("missing").toString(), "--out", dir.resolve("o").toString())).isEqualTo(2);
        assertThat(out.toString()).contains("unreadable: no Sigma rule file or directory");

        Path in = Files.createDirectories(dir.resolve("in"));
        Files.writeString(in.resolve("broken.yml"), "title: [unclosed\n  detection: {\n");
        Files.copy(SigmaConverterTest.FIXTURES.resolve("regex_modifiers.yml"), in.resolve("good.yml"));
        out.getBuffer().setLength(0);
        int code = run(in.toString(), "--out", dir.resolve("o").toString());
        assertThat(code).isEqualTo(2);
        assertThat(out.toString()).contains("broken.yml: unreadable: not valid YAML");
        assertThat(dir.resolve("o/sigma-numbered-admin-account-talks-to-kubelet-proxy.yaml")).as("the readable rule is still written").exists();
    }

    @Test
    void helpDescribesTheCommand() {
        int code = run("--help");
        assertThat(code).isZero();
        assertThat(out.toString()).contains("import-sigma").contains("--out").contains("Exit 0");
        assertThat(out.toString().lines().collect(Collectors.toList())).isNotEmpty();
    }
}
