package io.chainwatch.generate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything fixed about one simulated cluster: its name and cloud, nodes, applications, the identities of its
 * control plane, add-ons and platform agents, and the cloud identifiers the envelopes need. Built once from the
 * seed; {@link ClusterState} holds what changes while the simulation runs.
 */
final class ClusterProfile {

    static final String[] CLUSTER_NAMES = {"prod-eu-1", "staging-eu-1", "prod-us-1", "dev-eu-1", "prod-ap-1",
            "staging-us-1", "dev-us-1", "prod-eu-2"};

    /** App → namespace; the order is the apps' popularity rank before shuffling per cluster. */
    static final String[][] APPS = {
            {"web", "shop"}, {"api", "shop"}, {"checkout", "shop"}, {"payments", "payments"}, {"search", "search"},
            {"catalog", "shop"}, {"auth", "identity"}, {"notifications", "platform"}, {"orders", "shop"},
            {"inventory", "warehouse"}, {"recommendations", "search"}, {"gateway", "platform"},
            {"billing", "payments"}, {"reports", "analytics"}, {"media", "media"}};

    final String name;
    final int index;
    final OutputFormat flavor;
    final long seed;
    /** Offset of the owning team's local time from UTC (drives the diurnal curves). */
    final int tzOffsetHours;
    final String k8sVersion;
    final String gitCommit;
    final String kubeletUserAgent;
    final String controlPlaneIP;
    final String probeIP;
    final List<Node> nodes = new ArrayList<>();
    final List<App> apps = new ArrayList<>();
    final double[] appPopularity;
    final List<Human> humans;

    // control plane and controllers
    final Identity kcmLeaderElection;
    final Identity schedulerLeaderElection;
    final Identity scheduler;
    final Identity endpointSliceController;
    final Identity replicaSetController;
    final Identity deploymentController;
    final Identity hpaController;
    final Identity anonymousProbe;
    final String kcmLeaseHolder;
    final String schedulerLeaseHolder;

    // add-ons
    final String dnsName;
    final List<Identity> dnsPods = new ArrayList<>();
    final Identity metricsServer;
    final Identity gitops;
    final String gitopsKind;
    final String gitopsFieldManager;
    final Identity runnerController;
    final Identity platformAgent;

    // cloud identifiers
    final String aksSubscription;
    final String aksResourceGroup;
    final List<String> apiServerPods = new ArrayList<>();
    final List<String> eksLogStreams = new ArrayList<>();
    final String eksAccount = "111122223333";
    final String eksRegion;
    final String gkeProject;
    final String gkeLocation;

    private final Map<String, String> groupIds = new TreeMap<>();

    static final class Node {
        final int index;
        final String name;
        final String uid;
        final String ip;
        /** First three octets of the node's pod range, e.g. {@code 10.244.3}. */
        final String podPrefix;
        Identity kubelet;
        Identity kubeProxy;
        int nextPodIp = 20;

        Node(int index, String name, String uid, String ip, String podPrefix) {
            this.index = index;
            this.name = name;
            this.uid = uid;
            this.ip = ip;
            this.podPrefix = podPrefix;
        }

        String nextPodIP() {
            nextPodIp = nextPodIp >= 250 ? 20 : nextPodIp + 1;
            return podPrefix + "." + nextPodIp;
        }
    }

    static final class App {
        final String name;
        final String namespace;
        final String serviceAccount;
        final String saUid;
        final String deploymentUid;
        final String image;
        final String configMap;
        final String secret;
        final String slice;
        final boolean hpa;
        final boolean apiClient;
        final boolean gitopsManaged;
        int replicas;
        String rsHash;
        String rsUid;
        int revision;
        int minor;
        int patch;
        final List<Pod> pods = new ArrayList<>();
        /** Background exec into this app's pods is off: a token-theft instance targets it. */
        boolean execReserved;
        /** A container added to the Deployment's template outside the pipeline (a sidecar-injection instance). */
        Obj sidecar;

        App(String name, String namespace, Rng rng, long seed, String cluster, boolean hpa, boolean apiClient,
            boolean gitopsManaged, int replicas) {
            this.name = name;
            this.namespace = namespace;
            this.serviceAccount = name;
            this.saUid = Rng.uuidOf(seed, cluster + "/sa/" + namespace + "/" + name);
            this.deploymentUid = Rng.uuidOf(seed, cluster + "/deploy/" + namespace + "/" + name);
            this.image = "registry.corp.example/" + namespace + "/" + name;
            this.configMap = name + "-config";
            this.secret = name + "-tls";
            this.slice = name + "-" + rng.suffix(5);
            this.hpa = hpa;
            this.apiClient = apiClient;
            this.gitopsManaged = gitopsManaged;
            this.replicas = replicas;
            this.rsHash = rng.suffix(9 + rng.nextInt(2));
            this.rsUid = rng.uuid();
            this.revision = rng.between(3, 90);
            this.minor = rng.between(1, 40);
            this.patch = rng.between(0, 9);
        }

        String version() {
            return "1." + minor + "." + patch;
        }

        String rsName() {
            return name + "-" + rsHash;
        }
    }

    static final class Pod {
        final String name;
        final String uid;
        final String ip;
        final Node node;
        final App app;
        final long tokenSeed;
        private Identity token;

        Pod(String name, String uid, String ip, Node node, App app, long tokenSeed) {
            this.name = name;
            this.uid = uid;
            this.ip = ip;
            this.node = node;
            this.app = app;
            this.tokenSeed = tokenSeed;
        }

        /** The pod's own identity: its bound service-account token, from its IP, with the app's client. */
        Identity token(ClusterProfile p) {
            if (token == null) {
                token = Identity.boundToken(app.namespace, app.serviceAccount, app.saUid, name, uid, node.name, node.uid,
                        tokenSeed, new String[] {ip}, app.name + "/v" + app.version() + " (linux/amd64) kubernetes/$Format",
                        rbacReason("RoleBinding", app.name + "-reader/" + app.namespace, "Role", app.name + "-reader",
                                "ServiceAccount", app.serviceAccount + "/" + app.namespace));
            }
            return token;
        }
    }

    /** A person with kubectl, shared by every cluster of the run (the same people run all clusters). */
    static final class Human {
        final String login;
        final String email;
        final boolean admin;
        final String team;
        final String[] ips;
        final double[] ipWeights;
        final String userAgent;
        /** kubectl 1.30+ opens exec/attach over WebSockets (verb get); older clients use SPDY (verb create). */
        final boolean websocket;
        /** Relative activity (Zipf). */
        final double activity;
        /** Favourite apps: indexes into the cluster's apps with Zipf weights, per human. */
        final long affinitySeed;
        /** Sometimes tries things it may not do (secrets in kube-system): 403s. */
        final boolean curious;

        Human(String login, String email, boolean admin, String team, String[] ips, double[] ipWeights,
              String userAgent, boolean websocket, double activity, long affinitySeed, boolean curious) {
            this.login = login;
            this.email = email;
            this.admin = admin;
            this.team = team;
            this.ips = ips;
            this.ipWeights = ipWeights;
            this.userAgent = userAgent;
            this.websocket = websocket;
            this.activity = activity;
            this.affinitySeed = affinitySeed;
            this.curious = curious;
        }
    }

    static final String[] FIRST_NAMES = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan",
            "judy", "oscar", "peggy", "priya", "omar", "lena", "marco", "sofia", "tomas", "chen", "anil"};
    static final String[] TEAMS = {"shop-devs", "payments-devs", "search-devs", "platform-devs"};
    static final String[][] KUBECTL = {
            {"v1.31.2", "linux/amd64", "5864a46"}, {"v1.30.4", "darwin/arm64", "a51b3b7"},
            {"v1.29.8", "linux/amd64", "3f7a50f"}, {"v1.31.1", "darwin/arm64", "948afe5"},
            {"v1.28.13", "windows/amd64", "c2c25f2"}, {"v1.30.6", "linux/amd64", "00f20d4"}};

    /** The people of the organisation: 3 to 10, the first one or two are SRE administrators. */
    static List<Human> humans(long seed) {
        Rng rng = new Rng(seed).child("humans");
        int n = rng.between(3, 10);
        List<String> names = new ArrayList<>(List.of(FIRST_NAMES));
        List<Human> out = new ArrayList<>();
        int admins = n >= 6 ? 2 : 1;
        double[] activity = Rng.zipfCdf(n, 1.0);
        for (int i = 0; i < n; i++) {
            String login = names.remove(rng.nextInt(names.size()));
            boolean admin = i < admins;
            String team = admin ? "sre" : TEAMS[rng.nextInt(TEAMS.length)];
            // office egress (shared by everyone), a VPN exit, and for some a home address
            int home = 100 + rng.nextInt(150);
            List<String> ips = new ArrayList<>(List.of("198.51.100.10", "198.51.100." + (20 + rng.nextInt(4))));
            List<Double> weights = new ArrayList<>(List.of(0.7, 0.25));
            if (rng.chance(0.6)) {
                ips.add("198.51.100." + home);
                weights.add(0.15);
            }
            String[] k = KUBECTL[rng.nextInt(KUBECTL.length)];
            boolean websocket = !k[0].startsWith("v1.28") && !k[0].startsWith("v1.29");
            double act = (i == 0 ? activity[0] : activity[i] - activity[i - 1]);
            out.add(new Human(login, login + "@corp.example", admin, team, ips.toArray(new String[0]),
                    weights.stream().mapToDouble(Double::doubleValue).toArray(),
                    "kubectl/" + k[0] + " (" + k[1] + ") kubernetes/" + k[2], websocket, act,
                    rng.nextLong(), !admin && rng.chance(0.5)));
        }
        return out;
    }

    ClusterProfile(String name, int index, OutputFormat flavor, long runSeed, int nodeCount, List<Human> humans) {
        this.name = name;
        this.index = index;
        this.flavor = flavor;
        this.seed = Rng.mix(runSeed, "cluster/" + name);
        this.humans = humans;
        Rng rng = new Rng(seed).child("profile");
        this.eksNodeRolePrincipal = "AROA" + new Rng(seed).child("eks-node-role").upperAlnum(17);
        this.tzOffsetHours = name.contains("-us-") ? -5 : name.contains("-ap-") ? 8 : 1;
        this.eksRegion = name.contains("-us-") ? "us-east-1" : name.contains("-ap-") ? "ap-southeast-1" : "eu-west-1";
        this.gkeLocation = name.contains("-us-") ? "us-central1" : name.contains("-ap-") ? "asia-southeast1" : "europe-west1";
        this.gkeProject = "acme-" + name.replaceAll("-\\d+$", "");
        this.aksSubscription = Rng.uuidOf(runSeed, "azure-subscription");
        this.aksResourceGroup = "RG-" + name.toUpperCase(Locale.ROOT);

        switch (flavor) {
            case EKS:
                k8sVersion = "v1.31.2-eks-7f9249a";
                gitCommit = "7f9249a";
                controlPlaneIP = "10.0.200." + (10 + rng.nextInt(200));
                probeIP = "10.0.200." + (10 + rng.nextInt(200));
                break;
            case GKE:
                k8sVersion = "v1.31.2-gke.1005000";
                gitCommit = "9c2cd3c";
                controlPlaneIP = "172.16.0." + (2 + rng.nextInt(10));
                probeIP = "35.191.0." + (1 + rng.nextInt(250));
                break;
            case AKS:
                k8sVersion = "v1.31.2";
                gitCommit = "5864a46";
                controlPlaneIP = "10.224.0." + (240 + rng.nextInt(10));
                probeIP = "10.224.0." + (230 + rng.nextInt(10));
                break;
            default:
                k8sVersion = "v1.31.2";
                gitCommit = "5864a46";
                controlPlaneIP = "10.0.0.10";
                probeIP = "10.0.0.10";
                break;
        }
        String version = k8sVersion + " (linux/amd64) kubernetes/" + gitCommit;
        kubeletUserAgent = "kubelet/" + version;

        // nodes
        String aksPool = "aks-nodepool1-" + rng.digits(8) + "-vmss";
        String gkePool = "gke-" + name + "-default-pool-" + rng.hex(8) + "-";
        for (int i = 1; i <= nodeCount; i++) {
            String nodeName;
            String ip;
            String podPrefix;
            switch (flavor) {
                case AKS:
                    nodeName = aksPool + String.format("%06d", i - 1);
                    ip = "10.224.0." + (3 + i);
                    podPrefix = "10.244." + (i - 1);
                    break;
                case EKS: {
                    int subnet = 1 + (i - 1) % 3;
                    int host = 10 + rng.nextInt(240);
                    nodeName = "ip-10-0-" + subnet + "-" + host + "." + eksRegion + ".compute.internal";
                    ip = "10.0." + subnet + "." + host;
                    podPrefix = "10.0." + (16 + subnet * 4 + (i - 1) / 3);
                    break;
                }
                case GKE:
                    nodeName = gkePool + rng.suffix(4);
                    ip = "10.132.0." + (1 + i);
                    podPrefix = "10.8." + (i - 1);
                    break;
                default:
                    nodeName = "worker-" + i;
                    ip = "10.0.1." + (10 + i);
                    podPrefix = "10.244." + i;
                    break;
            }
            Node node = new Node(i, nodeName, rng.uuid(), ip, podPrefix);
            node.kubelet = kubelet(node, rng);
            node.kubeProxy = Identity.boundToken("kube-system", "kube-proxy", Rng.uuidOf(seed, "sa/kube-proxy"),
                    "kube-proxy-" + rng.suffix(5), rng.uuid(), node.name, node.uid, rng.nextLong(), new String[] {ip},
                    "kube-proxy/" + version, rbacReason("ClusterRoleBinding", "system:node-proxier", "ClusterRole",
                            "system:node-proxier", "ServiceAccount", "kube-proxy/kube-system"));
            nodes.add(node);
        }

        // control plane
        String[] cp = {controlPlaneIP};
        kcmLeaderElection = Identity.user("system:kube-controller-manager", null, new String[] {"system:authenticated"},
                null, cp, "kube-controller-manager/" + version + "/leader-election",
                rbacReason("ClusterRoleBinding", "system:kube-controller-manager", "ClusterRole",
                        "system:kube-controller-manager", "User", "system:kube-controller-manager"));
        String schedReason = rbacReason("ClusterRoleBinding", "system:kube-scheduler", "ClusterRole",
                "system:kube-scheduler", "User", "system:kube-scheduler");
        schedulerLeaderElection = Identity.user("system:kube-scheduler", null, new String[] {"system:authenticated"},
                null, cp, "kube-scheduler/" + version + "/leader-election", schedReason);
        scheduler = Identity.user("system:kube-scheduler", null, new String[] {"system:authenticated"}, null, cp,
                "kube-scheduler/" + version + "/scheduler", schedReason);
        String cpHost;
        switch (flavor) {
            case AKS: cpHost = "kube-controller-manager-" + rng.suffix(10) + "-" + rng.suffix(5); break;
            case EKS: cpHost = "ip-" + controlPlaneIP.replace('.', '-') + "." + eksRegion + ".compute.internal"; break;
            case GKE: cpHost = "gke-" + rng.hex(20) + "-" + rng.hex(4); break;
            default: cpHost = "cp-1"; break;
        }
        kcmLeaseHolder = cpHost + "_" + rng.uuid();
        schedulerLeaseHolder = cpHost + "_" + rng.uuid();
        endpointSliceController = controller("endpointslice-controller", version, rng);
        replicaSetController = controller("replicaset-controller", version, rng);
        deploymentController = controller("deployment-controller", version, rng);
        hpaController = controller("horizontal-pod-autoscaler", version, rng);
        anonymousProbe = Identity.user("system:anonymous", null, new String[] {"system:unauthenticated"}, null,
                new String[] {probeIP}, flavor == OutputFormat.GKE ? "GoogleHC/1.0" : "kube-probe/" + k8sVersion.substring(1, 5),
                rbacReason("ClusterRoleBinding", "system:public-info-viewer", "ClusterRole", "system:public-info-viewer",
                        "Group", "system:unauthenticated"));

        // add-ons: cluster DNS (kube-dns on GKE, CoreDNS elsewhere) and metrics-server, on bound tokens
        dnsName = flavor == OutputFormat.GKE ? "kube-dns" : "coredns";
        String dnsRs = dnsName + "-" + rng.suffix(10);
        String dnsSaUid = Rng.uuidOf(seed, "sa/" + dnsName);
        for (int i = 0; i < 2; i++) {
            Node node = nodes.get((i * 2) % nodes.size());
            String ip = node.nextPodIP();
            dnsPods.add(Identity.boundToken("kube-system", dnsName, dnsSaUid, dnsRs + "-" + rng.suffix(5), rng.uuid(),
                    node.name, node.uid, rng.nextLong(), new String[] {ip},
                    (flavor == OutputFormat.GKE ? "kube-dns/v1.23.1" : "coredns/v1.11.3") + " (linux/amd64) kubernetes/$Format",
                    rbacReason("ClusterRoleBinding", "system:" + dnsName, "ClusterRole", "system:" + dnsName,
                            "ServiceAccount", dnsName + "/kube-system")));
        }
        Node msNode = nodes.get(nodes.size() - 1);
        metricsServer = Identity.boundToken("kube-system", "metrics-server", Rng.uuidOf(seed, "sa/metrics-server"),
                "metrics-server-" + rng.suffix(10) + "-" + rng.suffix(5), rng.uuid(), msNode.name, msNode.uid,
                rng.nextLong(), new String[] {msNode.nextPodIP()},
                "metrics-server/v0.7.2 (linux/amd64) kubernetes/$Format",
                rbacReason("ClusterRoleBinding", "system:metrics-server", "ClusterRole", "system:metrics-server",
                        "ServiceAccount", "metrics-server/kube-system"));

        // GitOps: Argo CD or Flux
        Node goNode = nodes.get(rng.nextInt(nodes.size()));
        if (rng.chance(0.5)) {
            gitopsKind = "argocd";
            gitopsFieldManager = "argocd-controller";
            gitops = Identity.boundToken("argocd", "argocd-application-controller", Rng.uuidOf(seed, "sa/argocd"),
                    "argocd-application-controller-0", rng.uuid(), goNode.name, goNode.uid, rng.nextLong(),
                    new String[] {goNode.nextPodIP()}, "argocd-application-controller/v2.13.1+af54ef8 (linux/amd64)",
                    rbacReason("ClusterRoleBinding", "argocd-application-controller", "ClusterRole",
                            "argocd-application-controller", "ServiceAccount", "argocd-application-controller/argocd"));
        } else {
            gitopsKind = "flux";
            gitopsFieldManager = "kustomize-controller";
            gitops = Identity.boundToken("flux-system", "kustomize-controller", Rng.uuidOf(seed, "sa/flux"),
                    "kustomize-controller-" + rng.suffix(10) + "-" + rng.suffix(5), rng.uuid(), goNode.name, goNode.uid,
                    rng.nextLong(), new String[] {goNode.nextPodIP()}, "kustomize-controller/v1.4.0",
                    rbacReason("ClusterRoleBinding", "cluster-reconciler-flux-system", "ClusterRole", "cluster-admin",
                            "ServiceAccount", "kustomize-controller/flux-system"));
        }
        Node rcNode = nodes.get(rng.nextInt(nodes.size()));
        runnerController = Identity.boundToken("ci", "runner-controller", Rng.uuidOf(seed, "sa/runner-controller"),
                "runner-controller-" + rng.suffix(10) + "-" + rng.suffix(5), rng.uuid(), rcNode.name, rcNode.uid,
                rng.nextLong(), new String[] {rcNode.nextPodIP()}, "runner-controller/v0.9.3 (linux/amd64) kubernetes/$Format",
                rbacReason("RoleBinding", "runner-controller/ci", "Role", "runner-controller", "ServiceAccount",
                        "runner-controller/ci"));

        platformAgent = platformAgent(rng, version);

        // cloud envelope details
        for (int i = 0; i < 2; i++) {
            apiServerPods.add("kube-apiserver-" + rng.suffix(10) + "-" + rng.suffix(5));
            eksLogStreams.add("kube-apiserver-audit-" + rng.hex(32));
        }

        // applications, Zipf popularity in a per-cluster order
        int appCount = Math.min(APPS.length, rng.between(5, 10));
        List<String[]> pool = new ArrayList<>(List.of(APPS));
        for (int i = 0; i < appCount; i++) {
            String[] a = pool.remove(rng.nextInt(Math.min(pool.size(), 6)));
            int replicas = i < 2 ? rng.between(3, 6) : rng.between(2, 4);
            App app = new App(a[0], a[1], rng, seed, name, rng.chance(0.4), rng.chance(0.3), i % 2 == 1, replicas);
            apps.add(app);
        }
        appPopularity = Rng.zipfCdf(apps.size(), 1.1);
    }

    private final Map<String, Identity> moreControllers = new TreeMap<>();

    /**
     * Another kube-controller-manager controller (cronjob-controller, job-controller, daemon-set-controller, ...)
     * with the same shape as the ones above, made on first use from its own random stream, so that asking for
     * one does not change what the rest of the profile draws.
     */
    Identity kcmController(String controller) {
        return moreControllers.computeIfAbsent(controller, c -> controller(c,
                k8sVersion + " (linux/amd64) kubernetes/" + gitCommit, new Rng(seed).child("controller/" + c)));
    }

    private Identity controller(String controller, String version, Rng rng) {
        Map<String, String[]> extra = new TreeMap<>();
        extra.put(Identity.CREDENTIAL_ID, new String[] {"JTI=" + rng.uuid()});
        return Identity.serviceAccount("kube-system", controller, Rng.uuidOf(seed, "sa/" + controller), extra,
                new String[] {controlPlaneIP},
                "kube-controller-manager/" + version + "/system:serviceaccount:kube-system:" + controller,
                rbacReason("ClusterRoleBinding", "system:controller:" + controller, "ClusterRole",
                        "system:controller:" + controller, "ServiceAccount", controller + "/kube-system"));
    }

    private Identity kubelet(Node node, Rng rng) {
        String[] ip = {node.ip};
        if (flavor == OutputFormat.EKS) {
            String instance = "i-0" + rng.hex(16);
            Map<String, String[]> extra = new TreeMap<>();
            String principal = eksNodeRolePrincipal;
            extra.put("accessKeyId", new String[] {"ASIA" + rng.upperAlnum(16)});
            extra.put("arn", new String[] {"arn:aws:sts::" + eksAccount + ":assumed-role/" + eksNodeRole() + "/" + instance});
            extra.put("canonicalArn", new String[] {"arn:aws:iam::" + eksAccount + ":role/" + eksNodeRole()});
            extra.put("principalId", new String[] {principal});
            extra.put("sessionName", new String[] {instance});
            return Identity.user("system:node:" + node.name, "aws-iam-authenticator:" + eksAccount + ":" + principal,
                    new String[] {"system:bootstrappers", "system:nodes", "system:authenticated"}, extra, ip,
                    kubeletUserAgent, "");
        }
        return Identity.user("system:node:" + node.name, null, new String[] {"system:nodes", "system:authenticated"},
                null, ip, kubeletUserAgent, "");
    }

    private final String eksNodeRolePrincipal;

    private String eksNodeRole() {
        return "eks-" + name + "-node-role";
    }

    /** The managed cloud's own agent (none on a self-managed cluster). */
    private Identity platformAgent(Rng rng, String version) {
        switch (flavor) {
            case AKS:
                return Identity.user("aksService", null, new String[] {"system:masters", "system:authenticated"}, null,
                        new String[] {"10.224.0." + (200 + rng.nextInt(20))}, "aks-operator/v0.0.1 (linux/amd64)",
                        "");
            case EKS:
                return Identity.user("eks:node-manager", null, new String[] {"system:authenticated"}, null,
                        new String[] {"10.0.200." + (10 + rng.nextInt(200))}, "eks-node-manager/v0.1 (linux/amd64)",
                        rbacReason("ClusterRoleBinding", "eks:node-manager", "ClusterRole", "eks:node-manager", "User",
                                "eks:node-manager"));
            case GKE:
                return Identity.user("system:gcp-controller-manager", null, new String[] {"system:authenticated"}, null,
                        new String[] {controlPlaneIP}, "gcp-controller-manager/" + version,
                        rbacReason("ClusterRoleBinding", "system:gcp-controller-manager", "ClusterRole",
                                "system:gcp-controller-manager", "User", "system:gcp-controller-manager"));
            default:
                return null;
        }
    }

    /** The audit identity of a person on this cluster's cloud (EKS: an SSO role session; AKS: Entra group ids). */
    Identity humanIdentity(Human h, String[] ips) {
        String group = h.team;
        String reason = h.admin
                ? rbacReason("ClusterRoleBinding", "sre-admins", "ClusterRole", "cluster-admin", "Group", groupName(group))
                : rbacReason("ClusterRoleBinding", group + "-view", "ClusterRole", "view", "Group", groupName(group));
        return person(h.email, group, ips, h.userAgent, reason, h.admin ? "Admin" : "Developer", h.login);
    }

    /** A person on this cluster's cloud, with the cloud's identity details. */
    Identity person(String email, String group, String[] ips, String userAgent, String reason, String permissionSet,
                    String idSeed) {
        switch (flavor) {
            case EKS: {
                Rng r = new Rng(Rng.mix(seed, "iam/" + idSeed));
                String role = "AWSReservedSSO_" + permissionSet + "_" + r.hex(16);
                String principal = "AROA" + r.upperAlnum(17);
                Map<String, String[]> extra = new TreeMap<>();
                extra.put("accessKeyId", new String[] {"ASIA" + r.upperAlnum(16)});
                extra.put("arn", new String[] {"arn:aws:sts::" + eksAccount + ":assumed-role/" + role + "/" + email});
                extra.put("canonicalArn", new String[] {"arn:aws:iam::" + eksAccount + ":role/" + role});
                extra.put("principalId", new String[] {principal});
                extra.put("sessionName", new String[] {email});
                return Identity.user(email, "aws-iam-authenticator:" + eksAccount + ":" + principal,
                        Identity.groups(List.of(group)), extra, ips, userAgent, reason);
            }
            case AKS:
                return Identity.user(email, null, Identity.groups(List.of(groupName(group))), null, ips, userAgent, reason);
            default:
                return Identity.user(email, null, Identity.groups(List.of(group)), null, ips, userAgent, reason);
        }
    }

    /** Group names as the cluster sees them: Entra object ids on AKS, names elsewhere. */
    String groupName(String group) {
        if (flavor != OutputFormat.AKS) {
            return group;
        }
        return groupIds.computeIfAbsent(group, g -> Rng.uuidOf(seed, "entra-group/" + g));
    }

    static String rbacReason(String kind, String binding, String roleKind, String role, String subjectKind, String subject) {
        return "RBAC: allowed by " + kind + " \"" + binding + "\" of " + roleKind + " \"" + role + "\" to " + subjectKind
                + " \"" + subject + "\"";
    }

    /** Cluster names for --clusters K. */
    static List<String> clusterNames(int k) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            out.add(i < CLUSTER_NAMES.length ? CLUSTER_NAMES[i] : "prod-eu-" + (i - CLUSTER_NAMES.length + 3));
        }
        return out;
    }

    /** Namespaces with apps, each once. */
    List<String> appNamespaces() {
        Map<String, Boolean> ns = new LinkedHashMap<>();
        for (App a : apps) {
            ns.put(a.namespace, true);
        }
        return new ArrayList<>(ns.keySet());
    }

    String resourceId() {
        return "/SUBSCRIPTIONS/" + aksSubscription.toUpperCase(Locale.ROOT) + "/RESOURCEGROUPS/" + aksResourceGroup
                + "/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/" + name.toUpperCase(Locale.ROOT);
    }
}
