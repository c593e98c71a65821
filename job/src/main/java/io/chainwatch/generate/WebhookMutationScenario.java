package io.chainwatch.generate;

import io.chainwatch.generate.ClusterProfile.App;
import io.chainwatch.generate.ClusterProfile.Pod;


import static io.chainwatch.generate.Obj.arr;
import static io.chainwatch.generate.Obj.of;
import static io.chainwatch.generate.TrafficModel.S;

/**
 * Malicious mutating admission webhook (S19; Microsoft's threat matrix "Malicious admission controller",
 * MS-TA9015): a user registers a MutatingWebhookConfiguration with an innocuous name that sends every new pod
 * to a URL outside the cluster (or to a service they run in {@code default}), then makes pods get created (deletes
 * an application pod, or restarts a Deployment) so that the webhook injects an environment variable or an init
 * container. The API server records the mutation in the pod create's audit annotation
 * {@code mutation.webhook.admission.k8s.io/round_0_index_0} (and the JSON patch in {@code patch.webhook...});
 * the pods are created by the replicaset controller, not by the attacker. Evidence: the configuration write,
 * the first pod create that the webhook mutated. Not on GKE: the generator's GKE entries carry only the
 * authorization labels, not the other audit annotations.
 */
final class WebhookMutationScenario implements Scenario {
    static final String[][] DISGUISES = {
            {"pod-policy-defaults", "defaults.pod-policy.io"}, {"resource-limits-injector", "limits.resource-policy.dev"},
            {"telemetry-sidecar-injector", "inject.telemetry.cloud-ops.io"}, {"security-profile-defaults", "seccomp.profiles.io"},
            {"node-affinity-defaults", "affinity.scheduling-policy.io"}, {"image-pull-secrets-injector", "pullsecrets.registry-tools.io"}};
    static final String[] HOSTS = {"hooks.cloud-ops.io", "admission.k8s-tools.dev", "api.telemetry-edge.net", "mutate.podpolicy.app"};

    @Override
    public String name() {
        return "webhook-mutation";
    }

    @Override
    public String patternId() {
        return "mutating-webhook-then-unlisted-mutation";
    }

    @Override
    public String description() {
        return "mutating webhook registered by a user, then pods the replicaset controller creates are mutated by it";
    }

    @Override
    public boolean supports(OutputFormat format) {
        return format != OutputFormat.GKE;
    }

    @Override
    public void inject(ScenarioContext c, long t) {
        Rng r = c.rng;
        ClusterProfile p = c.profile;
        // the app whose new pods the webhook mutates; none free: no instance (nothing written, not labelled)
        App app = AttackRequests.changeableApp(c, "webhook-mutation/");
        if (app == null) {
            return;
        }
        String[] d = r.pick(DISGUISES);
        String name = c.state.claim("mutatingwebhookconfiguration/" + d[0]) ? d[0] : d[0] + "-" + r.suffix(4);
        String hook = d[1];
        Identity me = c.attacker("platform-operators", ClusterProfile.rbacReason("ClusterRoleBinding",
                "platform-operators", "ClusterRole", "platform-bootstrap", "Group", p.groupName("platform-operators")));
        long at = t;
        if (r.chance(0.6)) {
            c.submit(c.request(me, at, "list", Res.MUTATINGWEBHOOKCONFIGURATIONS, null, null, null).uri("?limit=500"));
            at += r.range(3 * S, 30 * S);
            if (r.chance(0.5)) {
                c.submit(c.request(me, at, "list", Res.VALIDATINGWEBHOOKCONFIGURATIONS, null, null, null).uri("?limit=500"));
                at += r.range(3 * S, 30 * S);
            }
        }
        // where the webhook sends the pods: a URL outside, or a service of a pod they start in default
        boolean url = r.chance(0.55);
        Obj clientConfig;
        if (url) {
            clientConfig = of("url", "https://" + r.pick(HOSTS) + "/mutate/" + r.suffix(8), "caBundle", caBundle(r));
        } else {
            String svc = name.replace("-defaults", "").replace("-injector", "") + "-webhook";
            String pod = svc + "-" + r.suffix(5);
            ClusterProfile.Node node = r.pick(p.nodes);
            Obj podSpec = of("containers", arr(of("name", "webhook", "image", "ghcr.io/" + r.pick(new String[] {"k8s-tools",
                                    "cloud-ops", "policy-kit"}) + "/admission-server:v" + r.between(1, 3) + "." + r.between(0, 9),
                            "args", arr("--tls-cert=/tls/tls.crt", "--tls-key=/tls/tls.key", "--port=8443"),
                            "ports", arr(of("containerPort", 8443, "protocol", "TCP")))));
            String podUid = r.uuid();
            Obj meta = of("name", pod, "namespace", "default", "creationTimestamp", null, "labels", of("app", svc));
            c.submit(c.request(me, at, "create", Res.PODS, "default", pod, null)
                    .uri("?fieldManager=kubectl-client-side-apply&fieldValidation=Strict")
                    .bodies(of("kind", "Pod", "apiVersion", "v1", "metadata", meta, "spec", podSpec, "status", of()),
                            of("kind", "Pod", "apiVersion", "v1", "metadata", meta.with("uid", podUid,
                                    "resourceVersion", c.state.nextResourceVersion(), "creationTimestamp", Times.rfc3339Seconds(at)),
                                    "spec", Workloads.defaulted(podSpec, null), "status", of("phase", "Pending", "qosClass", "BestEffort")))
                    .annotate("pod-security.kubernetes.io/enforce-policy", "privileged:latest"));
            at = ControllerChains.run(c, at, node, "default", pod, podUid, "webhook", node.nextPodIP(), false);
            at += r.range(2 * S, 20 * S);
            Obj svcMeta = of("name", svc, "namespace", "default", "creationTimestamp", null);
            Obj svcSpec = of("selector", of("app", svc), "ports", arr(of("port", 443, "targetPort", 8443, "protocol", "TCP")));
            c.submit(c.request(me, at, "create", Res.SERVICES, "default", svc, null)
                    .uri("?fieldManager=kubectl-client-side-apply&fieldValidation=Strict")
                    .bodies(of("kind", "Service", "apiVersion", "v1", "metadata", svcMeta, "spec", svcSpec),
                            of("kind", "Service", "apiVersion", "v1", "metadata", svcMeta.with("uid", r.uuid(),
                                    "resourceVersion", c.state.nextResourceVersion(), "creationTimestamp", Times.rfc3339Seconds(at)),
                                    "spec", svcSpec.with("type", "ClusterIP", "clusterIP", "10.96." + r.between(1, 254) + "." + r.between(2, 254)))));
            at += r.range(5 * S, 60 * S);
            clientConfig = of("service", of("namespace", "default", "name", svc, "path", "/mutate", "port", 443),
                    "caBundle", caBundle(r));
        }

        // 1. the webhook configuration: every pod CREATE, everywhere but kube-system, never blocking
        Obj webhook = of("name", hook, "clientConfig", clientConfig,
                "rules", arr(of("operations", arr("CREATE"), "apiGroups", arr(""), "apiVersions", arr("v1"),
                        "resources", arr("pods"), "scope", "*")),
                "failurePolicy", "Ignore", "matchPolicy", "Equivalent",
                "namespaceSelector", of("matchExpressions", arr(of("key", "kubernetes.io/metadata.name",
                        "operator", "NotIn", "values", arr("kube-system")))),
                "objectSelector", of(), "sideEffects", "None", "timeoutSeconds", 5,
                "admissionReviewVersions", arr("v1"), "reinvocationPolicy", "Never");
        boolean apply = r.chance(0.5);
        Obj meta = of("name", name, "creationTimestamp", null);
        if (apply) {
            meta = meta.with("annotations", of("kubectl.kubernetes.io/last-applied-configuration",
                    "{\"apiVersion\":\"admissionregistration.k8s.io/v1\",\"kind\":\"MutatingWebhookConfiguration\",\"metadata\":{\"annotations\":{},\"name\":\""
                            + name + "\"},\"webhooks\":[{\"name\":\"" + hook + "\"}]}\n"));
        }
        Obj req = of("kind", "MutatingWebhookConfiguration", "apiVersion", "admissionregistration.k8s.io/v1",
                "metadata", meta, "webhooks", arr(webhook));
        Obj resp = req.with("metadata", meta.with("uid", r.uuid(), "resourceVersion", c.state.nextResourceVersion(),
                "generation", 1, "creationTimestamp", Times.rfc3339Seconds(at)));
        c.evidence(c.request(me, at, "create", Res.MUTATINGWEBHOOKCONFIGURATIONS, null, name, null)
                .uri(apply ? "?fieldManager=kubectl-client-side-apply&fieldValidation=Strict"
                        : "?fieldManager=kubectl-create&fieldValidation=Strict")
                .bodies(req, resp));
        if (r.chance(0.5)) {
            at += r.range(3 * S, 40 * S);
            c.submit(c.request(me, at, "get", Res.MUTATINGWEBHOOKCONFIGURATIONS, null, name, null));
        }

        // 2. pods get created: the replicaset controller replaces a deleted pod, or a restarted Deployment rolls
        String mutation = "{\"configuration\":\"" + name + "\",\"webhook\":\"" + hook + "\",\"mutated\":true}";
        String patch = r.chance(0.5)
                ? "[{\"op\":\"add\",\"path\":\"/spec/containers/0/env\",\"value\":[{\"name\":\"HTTPS_PROXY\",\"value\":\"http://"
                        + r.pick(HOSTS) + ":3128\"}]}]"
                : "[{\"op\":\"add\",\"path\":\"/spec/initContainers\",\"value\":[{\"name\":\"init-certs\",\"image\":\"ghcr.io/cloud-ops/init-certs:v1\","
                        + "\"command\":[\"sh\",\"-c\",\"cp /certs/* /etc/ssl/certs/\"]}]}]";
        String patchAnnotation = "{\"configuration\":\"" + name + "\",\"webhook\":\"" + hook + "\",\"patch\":" + patch
                + ",\"patchType\":\"JSONPatch\"}";
        boolean[] first = {true};
        Workloads.Sink mutated = q -> {
            if (q.res == Res.PODS && q.verb.equals("create") && q.subresource == null) {
                q.annotate("mutation.webhook.admission.k8s.io/round_0_index_0", mutation,
                        "patch.webhook.admission.k8s.io/round_0_index_0", patchAnnotation,
                        "pod-security.kubernetes.io/enforce-policy", "restricted:latest");
                if (first[0]) {
                    first[0] = false;
                    return c.evidence(q);
                }
            }
            return c.submit(q);
        };
        at += r.range(20 * S, 300 * S);
        String ns = app.namespace;
        if (r.chance(0.5)) {
            // kubectl delete pod: the replicaset controller creates a replacement
            c.submit(c.request(me, at, "list", Res.PODS, ns, null, null).uri("?limit=500"));
            at += r.range(5 * S, 40 * S);
            Pod gone = r.pick(app.pods);
            c.submit(c.request(me, at, "delete", Res.PODS, ns, gone.name, null));
            long created = at + r.range(300_000, 2 * S);
            ClusterProfile.Node node = c.state.placeFor(app, r);
            Pod fresh = c.state.newPod(app, node);
            app.pods.set(app.pods.indexOf(gone), fresh);
            Workloads.createAppPod(c.sim, r, created, app, fresh, mutated);
            Workloads.bind(c.sim, r, created + r.range(8_000, 60_000), ns, fresh.name, fresh.uid, node, c::submit);
            long ready = created + r.range(4 * S, 9 * S);
            Workloads.podStatus(c.sim, r, ready, node, ns, fresh.name, fresh.uid, app.name, fresh.ip, true, c::submit);
            Workloads.podStatus(c.sim, r, at + r.range(2 * S, 30 * S), gone.node, ns, gone.name, gone.uid, app.name, null,
                    false, c::submit);
            Workloads.sliceUpdate(c.sim, r, ready + r.range(50_000, 600_000), app, c::submit);
            at = ready;
        } else {
            // kubectl rollout restart
            app.revision++;
            Obj restart = of("spec", of("template", of("metadata", of("annotations",
                    of("kubectl.kubernetes.io/restartedAt", Times.rfc3339Seconds(at).replace("Z", "+00:00"))))));
            c.submit(c.request(me, at, "patch", Res.DEPLOYMENTS, ns, app.name, null).uri("?fieldManager=kubectl-rollout")
                    .bodies(restart, Workloads.deployment(c.sim, app, app.gitopsManaged ? p.gitopsKind : "Helm")));
            Workloads.rollout(c.sim, r, at + r.range(20_000, 200_000), app, mutated, c::submit);
            at += 60 * S;
        }
        if (r.chance(0.5)) {
            at += r.range(10 * S, 120 * S);
            c.submit(c.request(me, at, "get", Res.PODS, ns, app.pods.get(0).name, null));
        }
    }

    static String caBundle(Rng r) {
        return "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM" + r.upperAlnum(48) + "LS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=";
    }
}
