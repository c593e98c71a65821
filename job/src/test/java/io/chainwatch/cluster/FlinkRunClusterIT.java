package io.chainwatch.cluster;

import com.fasterxml.jackson.databind.ObjectReader;
import io.chainwatch.alert.Alert;
import io.chainwatch.ingest.JsonSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar, unchanged, submitted with {@code flink run} to a real JobManager/TaskManager pair in
 * separate processes. Runs after {@code package} (failsafe), on the jar users get.
 */
class FlinkRunClusterIT {

    static final Path ROOT = Paths.get(System.getProperty("chainwatch.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void theShadedJarRunsUnchangedOnASessionCluster() throws Exception {
        Path jar = ROOT.resolve("job/target/chainwatch.jar");
        assertThat(jar).exists();
        String classpath = Files.readString(ROOT.resolve("job/target/cluster-classpath.txt")).trim();
        Path alerts = tmp.resolve("out/alerts.jsonl");
        Path history = tmp.resolve("out/history");
        try (StandaloneFlinkCluster cluster = StandaloneFlinkCluster.start(tmp.resolve("cluster"), classpath)) {
            Path output = tmp.resolve("flink-run.out");
            int code = cluster.flinkRun(jar, output, Duration.ofMinutes(3), "detect",
                    "--input", ROOT.resolve("data/sample").toString(),
                    "--alerts", alerts.toString(), "--history", history.toString(),
                    "--patterns", ROOT.resolve("cep-patterns").toString());
            String printed = Files.readString(output);
            assertThat(code).as(printed + "\n" + cluster.logs()).isZero();
            assertThat(printed).contains("unique events       358").contains("alerts              60");
        }
        ObjectReader reader = JsonSupport.mapper().readerFor(Alert.class);
        List<Alert> list = new ArrayList<>();
        for (String line : Files.readAllLines(alerts, StandardCharsets.UTF_8)) {
            list.add(reader.readValue(line));
        }
        // the sample's two chains at medium and above, as on the embedded cluster (DetectionPipelineIT)
        TreeSet<String> rules = list.stream()
                .filter(a -> io.chainwatch.pattern.Severity.valueOf(a.severity.toUpperCase()).compareTo(io.chainwatch.pattern.Severity.MEDIUM) >= 0)
                .map(a -> a.ruleId).collect(Collectors.toCollection(TreeSet::new));
        assertThat(rules).containsExactly("clusterrole-with-wildcard-created", "host-pid-pod-created",
                "kube-namespace-service-account-created", "privileged-container-created", "privileged-pod-then-exec",
                "rbac-backdoor-wildcard-role", "sensitive-mount-pod-created", "system-role-modified-or-deleted",
                "wildcard-role-bound-then-sa-token-minted");
        try (var files = Files.walk(history)) {
            assertThat(files.filter(f -> f.getFileName().toString().endsWith(".parquet")).count()).isPositive();
        }
    }
}
