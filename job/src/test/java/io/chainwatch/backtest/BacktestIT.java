package io.chainwatch.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainwatch.alert.Alert;
import io.chainwatch.cli.ChainwatchCli;
import io.chainwatch.ingest.JsonSupport;
import io.chainwatch.pipeline.DetectionPipelineIT;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A backtest over the history of a detect run gives the same alerts, and reports diffs and quality. */
class BacktestIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path tmp;

    static String run(String... args) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream old = System.out;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            int code = ChainwatchCli.run(args);
            assertThat(code).as(captured.toString(StandardCharsets.UTF_8)).isZero();
        } finally {
            System.setOut(old);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    static Set<String> ids(Path alerts) throws Exception {
        return DetectionPipelineIT.readAlerts(alerts).stream().map(a -> a.alertId).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void backtestEqualsDetectAndReportsDiffsAndQuality() throws Exception {
        Path patterns = DetectionPipelineIT.ROOT.resolve("cep-patterns");
        Path history = tmp.resolve("history");
        run("detect", "--input", DetectionPipelineIT.SAMPLE.toString(), "--alerts", tmp.resolve("live/alerts.jsonl").toString(),
                "--history", history.toString(), "--patterns", patterns.toString());

        String dry = run("backtest", "--history", history.toString(), "--patterns", patterns.toString(), "--out",
                tmp.resolve("dry").toString(), "--dry-run", "--from", "2026-11-20", "--to", "2026-11-20");
        assertThat(dry).contains("1 partition(s), 1 file(s)").contains("dt=2026-11-20/hour=09").contains("rows in range: 358");

        // Column pruning: a projection without the request body leaves it out and keeps what it asks for.
        java.nio.file.Path file = HistoryPartitions.select(history, null, null).files.get(0);
        org.apache.flink.core.fs.Path fp = new org.apache.flink.core.fs.Path(file.toUri());
        try (org.apache.flink.core.fs.FSDataInputStream in = fp.getFileSystem().open(fp)) {
            org.apache.flink.connector.file.src.reader.StreamFormat.Reader<io.chainwatch.ingest.AuditEvent> r =
                    new io.chainwatch.history.HistoryParquetFormat(HistoryColumns.projection(Set.of("auditID", "eventTime", "verb")))
                            .createReader(new org.apache.flink.configuration.Configuration(), in, Files.size(file), Files.size(file));
            int rows = 0;
            io.chainwatch.ingest.AuditEvent e;
            while ((e = r.read()) != null) {
                assertThat(e.auditID).isNotNull();
                assertThat(e.verb).isNotNull();
                assertThat(e.requestObject).isNull();
                assertThat(e.userName).isNull();
                rows++;
            }
            r.close();
            assertThat(rows).isEqualTo(358);
        }

        // The progress path a terminal gets: started asynchronously, followed through its accumulators.
        HistoryPartitions parts = HistoryPartitions.select(history, null, null);
        org.apache.flink.streaming.api.environment.StreamExecutionEnvironment env =
                org.apache.flink.streaming.api.environment.StreamExecutionEnvironment.getExecutionEnvironment();
        org.apache.flink.core.execution.JobClient client = BacktestJob.start(env, parts.files,
                io.chainwatch.pattern.PatternLoader.load(patterns).orThrow(), new io.chainwatch.pipeline.PipelineOptions(),
                io.chainwatch.pipeline.JsonLinesSink.toFile(tmp.resolve("followed/alerts.jsonl")),
                io.chainwatch.pipeline.JsonLinesSink.toFile(tmp.resolve("followed/dead.jsonl")));
        org.apache.flink.api.common.JobExecutionResult followed = BacktestProgress.follow(client, client.getJobExecutionResult(),
                BacktestProgress.rows(parts.files));
        assertThat(followed.getAllAccumulatorResults()).containsEntry("chainwatch.backtest.events", 358L);
        assertThat(run("backtest", "--history", history.toString(), "--out", tmp.resolve("none").toString(), "--dry-run",
                "--from", "2026-11-21")).contains("0 partition(s)");

        // A tuned version of one pattern (quiet in the default namespace) against the shipped one as baseline.
        Path tuned = tmp.resolve("tuned");
        Files.createDirectories(tuned);
        try (Stream<Path> files = Files.list(patterns)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).collect(Collectors.toList())) {
                Files.copy(f, tuned.resolve(f.getFileName()));
            }
        }
        for (String dir : List.of("lists", "macros", "tests")) {
            Files.createDirectories(tuned.resolve(dir));
            try (Stream<Path> files = Files.list(patterns.resolve(dir))) {
                for (Path f : files.collect(Collectors.toList())) {
                    Files.copy(f, tuned.resolve(dir).resolve(f.getFileName()));
                }
            }
        }
        // the tuning as a site would write it: an exception in an override file of the pack
        Files.createDirectories(tuned.resolve("overrides"));
        Files.writeString(tuned.resolve("overrides/tuning.yaml"), String.join("\n",
                "patterns:",
                "  privileged-container-created:",
                "    exceptions:",
                "      - name: the default namespace is a lab",
                "        where: {objectRef.namespace: default}", ""));

        Path labels = tmp.resolve("labels.json");
        Files.writeString(labels, "[{\"scenario\":\"rbac-backdoor\",\"pattern\":\"rbac-backdoor-wildcard-role\",\"cluster\":\"default\","
                + "\"auditIDs\":[\"35ab16dd-1ea0-43c9-b78c-fe68ce7ac7cb\",\"b6f076ec-ac0e-490f-871e-887a0657fe37\",\"fb53a5be-c5a8-4482-ac86-78aba5e9ca14\"]},"
                + "{\"scenario\":\"node-breakout\",\"pattern\":\"privileged-pod-then-exec\",\"cluster\":\"default\","
                + "\"auditIDs\":[\"bf429afc-198d-4f41-b796-04617b6cf00d\",\"e138b96a-381f-4808-b6e0-415ee7171bc1\"]},"
                + "{\"scenario\":\"token-theft\",\"pattern\":\"exec-then-pod-token-reuse\",\"cluster\":\"default\",\"auditIDs\":[\"not-in-the-sample\"]}]");

        Path out = tmp.resolve("backtest");
        String printed = run("backtest", "--history", history.toString(), "--patterns", patterns.toString(), "--out", out.toString(),
                "--baseline", patterns.toString(), "--labels", labels.toString());
        assertThat(printed).contains("358 events scanned");
        List<Alert> backtested = DetectionPipelineIT.readAlerts(out.resolve("alerts.jsonl")).stream()
                .filter(a -> !a.ruleId.startsWith(BacktestJob.BASELINE_PREFIX)).collect(Collectors.toList());
        Set<String> backtestedIds = backtested.stream().map(a -> a.alertId).collect(Collectors.toCollection(TreeSet::new));
        assertThat(backtestedIds).as("the backtest raises exactly the live run's alerts").isEqualTo(ids(tmp.resolve("live/alerts.jsonl")));

        // alerts.parquet holds the same alerts, readable by any Parquet reader.
        try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:duckdb:");
             java.sql.ResultSet rs = db.createStatement().executeQuery("select count(*), max(len(evidence)), min(ruleId) from read_parquet('"
                     + out.resolve("alerts.parquet").toString().replace("'", "''") + "')")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(backtested.size());
            assertThat(rs.getLong(2)).isEqualTo(3);
        }

        JsonNode summary = JsonSupport.mapper().readTree(out.resolve("summary.json").toFile());
        assertThat(summary.at("/run/eventsScanned").asLong()).isEqualTo(358);
        assertThat(summary.at("/patterns/privileged-pod-then-exec/alerts").asInt()).isEqualTo(1);
        assertThat(summary.at("/patterns/privileged-pod-then-exec/alertsPerDay/2026-11-20").asInt()).isEqualTo(1);
        assertThat(summary.at("/patterns/privileged-pod-then-exec/firstSeen").asText()).isEqualTo("2026-11-20T09:41:12.271201Z");
        JsonNode diff = JsonSupport.mapper().readTree(out.resolve("diff.json").toFile());
        assertThat(diff.at("/privileged-pod-then-exec/both").asInt()).isEqualTo(1);
        assertThat(diff.at("/privileged-pod-then-exec/onlyNew").asInt()).isZero();

        Path tunedOut = tmp.resolve("tuned-out");
        run("backtest", "--history", history.toString(), "--patterns", tuned.toString(), "--out", tunedOut.toString(),
                "--baseline", patterns.toString());
        JsonNode tunedDiff = JsonSupport.mapper().readTree(tunedOut.resolve("diff.json").toFile());
        assertThat(tunedDiff.at("/privileged-container-created/onlyBaseline").asInt()).as("what the tuning stopped catching").isEqualTo(1);
        assertThat(tunedDiff.at("/privileged-container-created/both").asInt()).isZero();

        // Scheduled use: the shipped pack against the tuned one as baseline raises one alert more: exit 3 past +0 %.
        int code = ChainwatchCli.run("backtest", "--history", history.toString(), "--patterns", patterns.toString(),
                "--out", tmp.resolve("nightly").toString(), "--baseline", tuned.toString(), "--max-alert-increase", "0");
        assertThat(code).isEqualTo(3);
        assertThat(ChainwatchCli.run("backtest", "--history", history.toString(), "--patterns", patterns.toString(),
                "--out", tmp.resolve("nightly2").toString(), "--baseline", patterns.toString(), "--max-alert-increase", "0")).isZero();

        checkReportInBrowser(out.resolve("report.html"));

        JsonNode quality = JsonSupport.mapper().readTree(out.resolve("quality.json").toFile());
        assertThat(quality.at("/privileged-pod-then-exec/precision").asDouble()).isEqualTo(1.0);
        assertThat(quality.at("/privileged-pod-then-exec/recall").asDouble()).isEqualTo(1.0);
        assertThat(quality.at("/rbac-backdoor-wildcard-role/recall").asDouble()).isEqualTo(1.0);
        assertThat(quality.at("/exec-then-pod-token-reuse/recall").asDouble()).isZero();
    }

    /**
     * The report as a person sees it: headless Chromium (Debian's package; .ci/run installs it) loads the page,
     * the rendered DOM must hold the charts with data, and a screenshot is taken.
     */
    static void checkReportInBrowser(Path report) throws Exception {
        Path chromium = Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser").map(Path::of).filter(Files::isExecutable)
                .findFirst().orElse(null);
        if (chromium == null) {
            org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("CI") == null,
                    "no chromium here; CI installs it, so there this is a failure, not a skip");
            throw new AssertionError("CI is set but chromium is not installed");
        }
        Path profile = Files.createTempDirectory("chromium-profile");
        List<String> flags = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile);
        List<String> dump = new java.util.ArrayList<>(List.of(chromium.toString()));
        dump.addAll(flags);
        dump.addAll(List.of("--dump-dom", report.toUri().toString()));
        Process p = new ProcessBuilder(dump).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(dom).contains("<svg id=\"alerts-per-day\"").contains("<svg id=\"diff\"").contains("<svg id=\"quality\"");
        java.util.regex.Matcher bars = java.util.regex.Pattern.compile("class=\"bar\"[^>]*data-value=\"([1-9][0-9]*)\"").matcher(dom);
        int nonEmpty = 0;
        while (bars.find()) {
            nonEmpty++;
        }
        assertThat(nonEmpty).as("bars with data").isGreaterThanOrEqualTo(3);

        Path png = report.resolveSibling("report.png");
        List<String> shot = new java.util.ArrayList<>(List.of(chromium.toString()));
        shot.addAll(flags);
        shot.addAll(List.of("--window-size=1200,1400", "--screenshot=" + png, report.toUri().toString()));
        Process s = new ProcessBuilder(shot).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(s.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(png).exists();
        assertThat(Files.size(png)).isGreaterThan(10_000);
        String keep = System.getProperty("chainwatch.screenshot");
        if (keep != null) {
            Files.copy(png, Path.of(keep), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
