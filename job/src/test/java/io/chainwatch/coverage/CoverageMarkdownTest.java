package io.chainwatch.coverage;

import io.chainwatch.cli.ChainwatchCli;
import io.chainwatch.pattern.PatternLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code cep-patterns/COVERAGE.md} is generated, not hand-written, and {@code patterns coverage} behaves as documented. */
class CoverageMarkdownTest {

    static final Path PATTERNS = CoverageCatalogTest.ROOT.resolve("cep-patterns");

    record Run(int exit, String out, String err) {}

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new ChainwatchCli());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void coverageMdIsUpToDate() throws Exception {
        PatternLoader.Result loaded = PatternLoader.load(PATTERNS);
        assertThat(loaded.hasErrors()).as("the shipped patterns load: %s", loaded.problems).isFalse();
        CoverageReport report = CoverageReport.build(loaded.patterns, CoverageCatalogTest.shipped(), PATTERNS);
        assertThat(report.problems()).as("unknown peer rules in the shipped patterns").isEmpty();
        String actual = Files.readString(PATTERNS.resolve("COVERAGE.md"), StandardCharsets.UTF_8).replace("\r\n", "\n");
        assertThat(actual)
                .as("cep-patterns/COVERAGE.md is generated; regenerate it with " + CoverageReport.GENERATE_COMMAND)
                .isEqualTo(report.markdown());
    }

    @Test
    void checkOptionAcceptsTheShippedFileAndRejectsAnEditedOne(@TempDir Path tmp) throws Exception {
        Run ok = cli("patterns", "coverage", "--patterns", PATTERNS.toString(), "--check",
                PATTERNS.resolve("COVERAGE.md").toString());
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("is up to date");

        Path edited = tmp.resolve("COVERAGE.md");
        Files.writeString(edited, Files.readString(PATTERNS.resolve("COVERAGE.md")).replace("Falco", "Falko"));
        Run stale = cli("patterns", "coverage", "--patterns", PATTERNS.toString(), "--check", edited.toString());
        assertThat(stale.exit()).isEqualTo(1);
        assertThat(stale.err()).contains("is out of date").contains(CoverageReport.GENERATE_COMMAND);

        Run missing = cli("patterns", "coverage", "--patterns", PATTERNS.toString(), "--check", tmp.resolve("nope.md").toString());
        assertThat(missing.exit()).isEqualTo(1);
    }

    @Test
    void markdownAndTextOutput() {
        Run md = cli("patterns", "coverage", "--patterns", PATTERNS.toString(), "--markdown");
        assertThat(md.exit()).as(md.err()).isZero();
        assertThat(md.out()).startsWith("# Peer-rule coverage").contains("## Falco k8saudit rules");

        Run text = cli("patterns", "coverage", "--patterns", PATTERNS.toString());
        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out()).contains("Falco, enabled by default").contains("SigmaHQ Kubernetes audit rules: covered ");
    }

    @Test
    void unknownPeerRuleFailsTheCommand(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("typo.yaml"), String.join("\n",
                "id: typo",
                "title: Typo",
                "severity: low",
                "equivalents: {elastic: [Kubernetes Privileged Pod Creatd]}",
                "where: {verb: create}",
                ""));
        // no coverage/ in the temp dir: the shipped catalogue is used
        Run r = cli("patterns", "coverage", "--patterns", dir.toString(), "--catalog", PATTERNS.resolve("coverage").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains(dir.resolve("typo.yaml") + ":4:25: error: unknown elastic rule "
                + "'Kubernetes Privileged Pod Creatd'").contains("did you mean 'Kubernetes Privileged Pod Created'?");
    }
}
