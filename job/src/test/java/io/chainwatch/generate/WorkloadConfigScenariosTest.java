package io.chainwatch.generate;

import io.chainwatch.generate.GeneratedInstances.Instance;

import io.chainwatch.ingest.AuditEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The workload and configuration scenarios (S19-S27 of the research notes), each generated alone over two
 * clusters: both instances are labelled with their pattern, and their evidence has the shape the pattern joins on.
 */
class WorkloadConfigScenariosTest {

    @TempDir
    Path tmp;

    /** Generates {@code scenario} alone on two clusters and returns its two labelled instances of {@code steps} events. */
    List<Instance> generate(String scenario, int steps, OutputFormat format) throws IOException {
        String pattern = Scenarios.select(scenario).get(0).patternId();
        assertThat(Path.of(System.getProperty("chainwatch.root", ".."), "cep-patterns", pattern + ".yaml")).exists();
        List<Instance> out = GeneratedInstances.generate(tmp.resolve(scenario + "-" + format), scenario, format, 30_000, 7);
        for (Instance in : out) {
            assertThat(in.evidence).as(scenario + " evidence").hasSize(steps)
                    .allSatisfy(e -> assertThat(e.responseClass).isIn("2xx", "1xx"));
        }
        return out;
    }

    List<Instance> generate(String scenario, int steps) throws IOException {
        return generate(scenario, steps, OutputFormat.NDJSON);
    }

    @Test
    void webhookMutation() throws IOException {
        for (Instance in : generate("webhook-mutation", 2)) {
            AuditEvent hook = in.get(0);
            AuditEvent pod = in.get(1);
            assertThat(hook.resource).isEqualTo("mutatingwebhookconfigurations");
            assertThat(hook.apiGroup).isEqualTo("admissionregistration.k8s.io");
            assertThat(hook.verb).isEqualTo("create");
            assertThat(hook.principal).doesNotStartWith("system:");
            assertThat(hook.requestObject).contains("\"failurePolicy\":\"Ignore\"").contains("\"resources\":[\"pods\"]");
            assertThat(pod.verb).isEqualTo("create");
            assertThat(pod.resource).isEqualTo("pods");
            assertThat(pod.principal).isEqualTo("system:serviceaccount:kube-system:replicaset-controller");
            assertThat(pod.annotations.get("mutation.webhook.admission.k8s.io/round_0_index_0"))
                    .isEqualTo("{\"configuration\":\"" + hook.objectName + "\",\"webhook\":\""
                            + hook.requestObject.replaceAll(".*\"webhooks\":\\[\\{\"name\":\"([^\"]+)\".*", "$1")
                            + "\",\"mutated\":true}");
            assertThat(pod.annotations).containsKey("patch.webhook.admission.k8s.io/round_0_index_0");
            assertThat(pod.requestObject).contains("\"ownerReferences\"");
        }
    }

    @Test
    void webhookMutationIsNotGeneratedForGke() {
        assertThat(Scenarios.select("webhook-mutation").get(0).supports(OutputFormat.GKE)).isFalse();
    }
    @Test
    void cronjobPersistence() throws IOException {
        for (Instance in : generate("cronjob-persistence", 2)) {
            AuditEvent cronjob = in.get(0);
            AuditEvent job = in.get(1);
            assertThat(cronjob.verb).isEqualTo("create");
            assertThat(cronjob.resource).isEqualTo("cronjobs");
            assertThat(cronjob.apiGroup).isEqualTo("batch");
            assertThat(cronjob.principal).doesNotStartWith("system:");
            assertThat(cronjob.requestObject).contains("\"jobTemplate\"").contains("\"schedule\"");
            assertThat(job.verb).isEqualTo("create");
            assertThat(job.resource).isEqualTo("jobs");
            assertThat(job.namespace).isEqualTo(cronjob.namespace);
            assertThat(job.requestObject).contains("\"ownerReferences\":[{\"apiVersion\":\"batch/v1\",\"kind\":\"CronJob\",\"name\":\""
                    + cronjob.objectName + "\"");
            assertThat(job.principal).isIn("system:serviceaccount:kube-system:cronjob-controller", cronjob.principal);
            if (job.principal.equals(cronjob.principal)) {
                assertThat(job.objectName).startsWith(cronjob.objectName + "-manual-");
            } else {
                assertThat(job.objectName).matches(java.util.regex.Pattern.quote(cronjob.objectName) + "-\\d{8}");
            }
            // the job controller then creates the Job's pod
            assertThat(in.all).anySatisfy(e -> {
                assertThat(e.principal).isEqualTo("system:serviceaccount:kube-system:job-controller");
                assertThat(e.resource).isEqualTo("pods");
                assertThat(e.requestObject).contains("\"name\":\"" + job.objectName + "\"");
            });
        }
    }

    @Test
    void kubeSystemBackdoor() throws IOException {
        for (Instance in : generate("kube-system-backdoor", 2)) {
            AuditEvent workload = in.get(0);
            AuditEvent child = in.get(1);
            assertThat(workload.verb).isEqualTo("create");
            assertThat(workload.resource).isIn("daemonsets", "deployments");
            assertThat(workload.namespace).isEqualTo("kube-system");
            assertThat(workload.principal).doesNotStartWith("system:");
            assertThat(workload.requestObject).doesNotContain("registry.k8s.io").contains("\"privileged\":true");
            assertThat(child.verb).isEqualTo("create");
            assertThat(child.namespace).isEqualTo("kube-system");
            String kind = workload.resource.equals("daemonsets") ? "DaemonSet" : "Deployment";
            assertThat(child.resource).isEqualTo(kind.equals("DaemonSet") ? "pods" : "replicasets");
            assertThat(child.principal).isEqualTo("system:serviceaccount:kube-system:"
                    + (kind.equals("DaemonSet") ? "daemon-set-controller" : "deployment-controller"));
            assertThat(child.requestObject).contains("\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"" + kind
                    + "\",\"name\":\"" + workload.objectName + "\"");
            assertThat(child.eventTimeMicros - workload.eventTimeMicros).isLessThan(5 * 60 * 1_000_000L);
        }
    }

    @Test
    void eventsCleanup() throws IOException {
        for (Instance in : generate("events-cleanup", 2)) {
            AuditEvent change = in.get(0);
            AuditEvent cleanup = in.get(1);
            assertThat(change.principal).isEqualTo(cleanup.principal).doesNotStartWith("system:");
            assertThat(change.resource).isIn("clusterrolebindings", "pods", "roles", "validatingwebhookconfigurations");
            switch (change.resource) {
                case "clusterrolebindings":
                    assertThat(change.requestObject).contains("\"name\":\"cluster-admin\"");
                    break;
                case "roles":
                    assertThat(change.requestObject).contains("\"verbs\":[\"*\"]");
                    break;
                case "pods":
                    if (change.subresource != null) {
                        assertThat(change.subresource).isEqualTo("ephemeralcontainers");
                        assertThat(change.verb).isEqualTo("patch");
                    } else {
                        assertThat(change.requestObject).contains("\"privileged\":true");
                    }
                    break;
                default:
                    assertThat(change.verb).isEqualTo("create");
            }
            assertThat(cleanup.resource).isEqualTo("events");
            assertThat(cleanup.verb).isIn("delete", "deletecollection");
            assertThat(cleanup.eventTimeMicros - change.eventTimeMicros).isLessThan(60 * 60 * 1_000_000L);
        }
    }

    @Test
    void corednsPoisoning() throws IOException {
        for (Instance in : generate("coredns-poisoning", 2)) {
            AuditEvent config = in.get(0);
            AuditEvent restart = in.get(1);
            assertThat(config.resource).isEqualTo("configmaps");
            assertThat(config.namespace).isEqualTo("kube-system");
            assertThat(config.name).isIn("coredns", "coredns-custom", "kube-dns");
            assertThat(config.verb).isIn("patch", "update");
            assertThat(restart.principal).isEqualTo(config.principal);
            assertThat(restart.namespace).isEqualTo("kube-system");
            if (restart.resource.equals("deployments")) {
                assertThat(restart.verb).isEqualTo("patch");
                assertThat(restart.requestObject).contains("kubectl.kubernetes.io/restartedAt");
            } else {
                assertThat(restart.resource).isEqualTo("pods");
                assertThat(restart.verb).isEqualTo("delete");
                assertThat(restart.name).startsWith("coredns-");
            }
            assertThat(restart.eventTimeMicros - config.eventTimeMicros).isLessThan(10 * 60 * 1_000_000L);
        }
    }

    @Test
    void corednsPoisoningOnAksAndGkeEditsTheirConfigMaps() throws IOException {
        for (Instance in : generate("coredns-poisoning", 2, OutputFormat.AKS)) {
            assertThat(in.get(0).name).isEqualTo("coredns-custom");
        }
        for (Instance in : generate("coredns-poisoning", 2, OutputFormat.GKE)) {
            assertThat(in.get(0).name).isEqualTo("kube-dns");
            if (in.get(1).resource.equals("pods")) {
                assertThat(in.get(1).name).startsWith("kube-dns-");
            }
        }
    }

    @Test
    void massDeployment() throws IOException {
        for (Instance in : generate("mass-deployment", 12)) {
            AuditEvent discovery = in.get(0);
            AuditEvent namespace = in.get(1);
            assertThat(discovery.verb).isEqualTo("list");
            assertThat(discovery.namespace).isNull();
            assertThat(discovery.resource).isIn("namespaces", "nodes", "pods");
            assertThat(namespace.verb).isEqualTo("create");
            assertThat(namespace.resource).isEqualTo("namespaces");
            for (AuditEvent w : in.evidence.subList(2, 12)) {
                assertThat(w.verb).isEqualTo("create");
                assertThat(w.resource).isIn("deployments", "pods");
                assertThat(w.namespace).isEqualTo(namespace.objectName);
                assertThat(w.principal).isEqualTo(discovery.principal);
                assertThat(w.requestObject).containsAnyOf("xmrig", "stratum+", "--donate-level", "--coin=");
            }
            assertThat(in.evidence).extracting(e -> e.principal).containsOnly(discovery.principal);
            // no other cluster-wide list by the same principal before the first one
            assertThat(in.all).filteredOn(e -> e.principal.equals(discovery.principal) && "list".equals(e.verb)
                    && e.namespace == null && e.eventTimeMicros < discovery.eventTimeMicros).isEmpty();
        }
    }

    @Test
    void dashboardDeploy() throws IOException {
        for (Instance in : generate("dashboard-deploy", 2)) {
            AuditEvent list = in.get(0);
            AuditEvent create = in.get(1);
            assertThat(list.principal).isIn("system:serviceaccount:kubernetes-dashboard:kubernetes-dashboard",
                    "system:serviceaccount:kubernetes-dashboard:kubernetes-dashboard-api");
            assertThat(list.verb).isEqualTo("list");
            assertThat(list.namespace).isNull();
            assertThat(list.podName).startsWith(list.saName + "-");
            assertThat(create.principal).isEqualTo(list.principal);
            assertThat(create.clientIP).isEqualTo(list.clientIP).startsWith("10.");
            assertThat(create.verb).isEqualTo("create");
            assertThat(create.resource).isIn("deployments", "pods");
        }
    }

    @Test
    void sidecarInjection() throws IOException {
        for (Instance in : generate("sidecar-injection", 2)) {
            AuditEvent write = in.get(0);
            AuditEvent rs = in.get(1);
            assertThat(write.verb).isIn("patch", "update");
            assertThat(write.resource).isEqualTo("deployments");
            assertThat(write.principal).doesNotStartWith("system:");
            assertThat(write.requestObject).contains("\"containers\":[");
            assertThat(rs.verb).isEqualTo("create");
            assertThat(rs.resource).isEqualTo("replicasets");
            assertThat(rs.namespace).isEqualTo(write.namespace);
            assertThat(rs.principal).isEqualTo("system:serviceaccount:kube-system:deployment-controller");
            assertThat(rs.requestObject).contains("\"kind\":\"Deployment\",\"name\":\"" + write.name + "\"");
            // the sidecar of the write is in the new ReplicaSet's template
            String image = java.util.Arrays.stream(SidecarInjectionScenario.SIDECARS).map(x -> x[1])
                    .filter(write.requestObject::contains).findFirst().orElseThrow();
            assertThat(rs.requestObject).contains("\"image\":\"" + image + "\"");
            assertThat(rs.eventTimeMicros - write.eventTimeMicros).isLessThan(10 * 60 * 1_000_000L);
        }
    }
}
