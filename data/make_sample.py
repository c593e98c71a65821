#!/usr/bin/env python3
"""Generate data/sample/kube-apiserver-audit.log for chainwatch.

Deterministic (fixed seed, standard library only, no arguments).  Writes an
NDJSON file of Kubernetes ``audit.k8s.io/v1`` Events next to this script:
one hour (2026-11-20T09:00:00Z .. 10:00:00Z) of benign cluster traffic with two
attack chains interleaved:

  A  RBAC backdoor by dev-contractor@corp.example from 203.0.113.45
     (wildcard ClusterRole -> SA in kube-system -> ClusterRoleBinding -> token)
  B  privileged hostPID/hostPath pod by jane@corp.example from 192.0.2.77,
     then exec into it and a secret list in kube-system

All events are written by this script; nothing is copied from elsewhere.
Run:  python3 data/make_sample.py   (writes data/sample/kube-apiserver-audit.log)
"""

import json
import os
import random
import uuid
from datetime import datetime, timedelta, timezone

SEED = 20261120
OUT_NAME = "kube-apiserver-audit.log"

BASE = datetime(2026, 11, 20, 9, 0, 0, tzinfo=timezone.utc)
END_US = 3600 * 1_000_000  # 10:00:00Z

rng = random.Random(SEED)


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------

def new_uuid():
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def at(h, m, s, us=None):
    """Offset in microseconds from BASE for wall-clock h:m:s (hour 9 or 10)."""
    if us is None:
        us = rng.randrange(0, 1_000_000)
    return ((h - 9) * 3600 + m * 60 + s) * 1_000_000 + us


def ts(off_us):
    return (BASE + timedelta(microseconds=off_us)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


def suffix(n=5):
    return "".join(rng.choice(SUFFIX_ALPHABET) for _ in range(n))


_rv = [48213377]


def next_rv():
    _rv[0] += rng.randrange(1, 40)
    return str(_rv[0])


# --------------------------------------------------------------------------
# actors (identity, source IP and user agent are fixed per actor)
# --------------------------------------------------------------------------

K8S_VER = "v1.31.2 (linux/amd64) kubernetes/5864a46"


def sa_user(ns, name, uid, pod=None, node=None, jti=None):
    u = {
        "username": "system:serviceaccount:%s:%s" % (ns, name),
        "uid": uid,
        "groups": ["system:serviceaccounts", "system:serviceaccounts:%s" % ns,
                   "system:authenticated"],
    }
    extra = {}
    if jti:
        extra["authentication.kubernetes.io/credential-id"] = ["JTI=" + jti]
    if node:
        extra["authentication.kubernetes.io/node-name"] = [node[0]]
        extra["authentication.kubernetes.io/node-uid"] = [node[1]]
    if pod:
        extra["authentication.kubernetes.io/pod-name"] = [pod[0]]
        extra["authentication.kubernetes.io/pod-uid"] = [pod[1]]
    if extra:
        u["extra"] = extra
    return u


NODE_UID = {n: new_uuid() for n in ("worker-1", "worker-2", "worker-3")}
NODE_IP = {"worker-1": "10.0.1.11", "worker-2": "10.0.1.12", "worker-3": "10.0.1.13"}


def rbac_reason(kind, name, role_kind, role, subj_kind, subj, ns=None):
    bind = '%s/%s' % (name, ns) if ns else name
    return 'RBAC: allowed by %s "%s" of %s "%s" to %s "%s"' % (
        kind, bind, role_kind, role, subj_kind, subj)


def ctrl_actor(name):
    return {
        "user": sa_user("kube-system", name, new_uuid(), jti=new_uuid()),
        "ip": ["10.0.0.10"],
        "ua": "kube-controller-manager/%s/system:serviceaccount:kube-system:%s" % (K8S_VER, name),
        "reason": rbac_reason("ClusterRoleBinding", "system:controller:" + name, "ClusterRole",
                              "system:controller:" + name, "ServiceAccount",
                              "%s/kube-system" % name),
    }


A = {}
A["kcm"] = {
    "user": {"username": "system:kube-controller-manager", "groups": ["system:authenticated"]},
    "ip": ["10.0.0.10"],
    "ua": "kube-controller-manager/%s/leader-election" % K8S_VER,
    "reason": rbac_reason("ClusterRoleBinding", "system:kube-controller-manager", "ClusterRole",
                          "system:kube-controller-manager", "User",
                          "system:kube-controller-manager"),
}
A["sched_le"] = {
    "user": {"username": "system:kube-scheduler", "groups": ["system:authenticated"]},
    "ip": ["10.0.0.10"],
    "ua": "kube-scheduler/%s/leader-election" % K8S_VER,
    "reason": rbac_reason("ClusterRoleBinding", "system:kube-scheduler", "ClusterRole",
                          "system:kube-scheduler", "User", "system:kube-scheduler"),
}
A["sched"] = dict(A["sched_le"], ua="kube-scheduler/%s/scheduler" % K8S_VER)
for i in (1, 2, 3):
    n = "worker-%d" % i
    A[n] = {
        "user": {"username": "system:node:" + n, "groups": ["system:nodes", "system:authenticated"]},
        "ip": [NODE_IP[n]],
        "ua": "kubelet/%s" % K8S_VER,
        "reason": "",  # Node authorizer does not set a reason
    }
A["epslice"] = ctrl_actor("endpointslice-controller")
A["rsctl"] = ctrl_actor("replicaset-controller")
A["deployctl"] = ctrl_actor("deployment-controller")
A["hpa"] = ctrl_actor("horizontal-pod-autoscaler")

COREDNS_SA_UID = new_uuid()
A["coredns-1"] = {
    "user": sa_user("kube-system", "coredns", COREDNS_SA_UID,
                    pod=("coredns-6f6b679f8f-q8x4r", new_uuid()),
                    node=("worker-1", NODE_UID["worker-1"]), jti=new_uuid()),
    "ip": ["10.244.1.5"],
    "ua": "coredns/v1.11.3 (linux/amd64) kubernetes/$Format",
    "reason": rbac_reason("ClusterRoleBinding", "system:coredns", "ClusterRole", "system:coredns",
                          "ServiceAccount", "coredns/kube-system"),
}
A["coredns-2"] = dict(A["coredns-1"],
                      user=sa_user("kube-system", "coredns", COREDNS_SA_UID,
                                   pod=("coredns-6f6b679f8f-7lzkd", new_uuid()),
                                   node=("worker-2", NODE_UID["worker-2"]), jti=new_uuid()),
                      ip=["10.244.2.4"])
A["metrics"] = {
    "user": sa_user("kube-system", "metrics-server", new_uuid(),
                    pod=("metrics-server-5f9f776df5-zp7vm", new_uuid()),
                    node=("worker-3", NODE_UID["worker-3"]), jti=new_uuid()),
    "ip": ["10.244.3.7"],
    "ua": "metrics-server/v0.7.2 (linux/amd64) kubernetes/$Format",
    "reason": rbac_reason("ClusterRoleBinding", "system:metrics-server", "ClusterRole",
                          "system:metrics-server", "ServiceAccount", "metrics-server/kube-system"),
}
A["helm"] = {
    "user": sa_user("ci", "helm-deployer", new_uuid(),
                    pod=("deploy-shop-8841-x7k2p", new_uuid()),
                    node=("worker-3", NODE_UID["worker-3"]), jti=new_uuid()),
    "ip": ["10.244.3.21"],
    "ua": "Helm/3.16.2",
    "reason": rbac_reason("RoleBinding", "helm-deployer", "ClusterRole", "edit",
                          "ServiceAccount", "helm-deployer/ci", ns="shop"),
}
A["alice"] = {
    "user": {"username": "alice@corp.example", "groups": ["sre", "system:authenticated"]},
    "ip": ["198.51.100.10"],
    "ua": "kubectl/v1.31.2 (linux/amd64) kubernetes/5864a46",
    "reason": rbac_reason("RoleBinding", "sre-edit", "ClusterRole", "edit", "Group", "sre", ns="shop"),
}
A["bob"] = {
    "user": {"username": "bob@corp.example", "groups": ["shop-devs", "system:authenticated"]},
    "ip": ["198.51.100.11"],
    "ua": "kubectl/v1.31.2 (linux/amd64) kubernetes/5864a46",
    "reason": rbac_reason("RoleBinding", "shop-devs-view", "ClusterRole", "view", "Group",
                          "shop-devs", ns="shop"),
}
A["anon"] = {
    "user": {"username": "system:anonymous", "groups": ["system:unauthenticated"]},
    "ip": ["10.0.0.1"],
    "ua": "kube-probe/1.31",
    "reason": rbac_reason("ClusterRoleBinding", "system:public-info-viewer", "ClusterRole",
                          "system:public-info-viewer", "Group", "system:unauthenticated"),
}
# attackers
A["contractor"] = {
    "user": {"username": "dev-contractor@corp.example",
             "groups": ["developers", "system:authenticated"]},
    "ip": ["203.0.113.45"],
    "ua": "kubectl/v1.29.0 (linux/amd64) kubernetes/3f7a50f",
    "reason": rbac_reason("ClusterRoleBinding", "developers-platform", "ClusterRole",
                          "platform-bootstrap", "Group", "developers"),
}
A["jane"] = {
    "user": {"username": "jane@corp.example", "groups": ["ops", "system:authenticated"]},
    "ip": ["192.0.2.77"],
    "ua": "kubectl/v1.30.1 (linux/amd64) kubernetes/6911225",
    "reason": rbac_reason("ClusterRoleBinding", "ops-operators", "ClusterRole", "ops-operator",
                          "Group", "ops"),
}
DISCOVERY_REASON = rbac_reason("ClusterRoleBinding", "system:discovery", "ClusterRole",
                               "system:discovery", "Group", "system:authenticated")


# --------------------------------------------------------------------------
# event emission
# --------------------------------------------------------------------------

LINES = []           # (stageTimestamp, seq, dict)
_seq = [0]
RR_CANDIDATES = []   # indices into LINES of plain ResponseComplete events
CHAIN = {}           # label -> auditID (reported at the end)


def _push(ev, rr_candidate=False):
    _seq[0] += 1
    LINES.append([ev["stageTimestamp"], _seq[0], ev])
    if rr_candidate:
        RR_CANDIDATES.append(len(LINES) - 1)


def objref(resource, ns=None, name=None, group=None, version="v1", sub=None):
    o = {"resource": resource}
    if ns:
        o["namespace"] = ns
    if name:
        o["name"] = name
    if group:
        o["apiGroup"] = group
    o["apiVersion"] = version
    if sub:
        o["subresource"] = sub
    return o


def forbidden(verb, resource, ns, user, group=""):
    return {
        "metadata": {},
        "status": "Failure",
        "message": '%s is forbidden: User "%s" cannot %s resource "%s" in API group "%s" '
                   'in the namespace "%s"' % (resource, user, verb, resource, group, ns),
        "reason": "Forbidden",
        "details": {"kind": resource},
        "code": 403,
    }


def request(actor, t, verb, uri, oref=None, code=200, req_obj=None, resp_obj=None,
            level=None, decision="allow", reason=None, extra_ann=None, status=None,
            latency_ms=None, stage="ResponseComplete", audit_id=None, rr_ok=True,
            received=None):
    """Emit one stage event. Returns the auditID."""
    a = A[actor]
    aid = audit_id or new_uuid()
    if latency_ms is None:
        latency_ms = rng.uniform(1.2, 24.0)
    recv = t if received is None else received
    stage_t = t + int(latency_ms * 1000)
    if level is None:
        level = "RequestResponse" if req_obj is not None else "Metadata"
    ev = {"kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": level, "auditID": aid,
          "stage": stage, "requestURI": uri, "verb": verb,
          "user": json.loads(json.dumps(a["user"])), "sourceIPs": list(a["ip"]),
          "userAgent": a["ua"]}
    if oref is not None:
        ev["objectRef"] = oref
    ev["responseStatus"] = status if status is not None else {"metadata": {}, "code": code}
    if req_obj is not None and level in ("Request", "RequestResponse"):
        ev["requestObject"] = req_obj
    if resp_obj is not None and level == "RequestResponse":
        ev["responseObject"] = resp_obj
    ev["requestReceivedTimestamp"] = ts(recv)
    ev["stageTimestamp"] = ts(stage_t)
    ann = {"authorization.k8s.io/decision": decision,
           "authorization.k8s.io/reason": a["reason"] if reason is None else reason}
    if extra_ann:
        ann.update(extra_ann)
    ev["annotations"] = ann
    _push(ev, rr_candidate=(rr_ok and stage == "ResponseComplete"))
    return aid


def watch(actor, t, uri, oref, reason=None):
    """A watch that is still open at the end of the capture: ResponseStarted only."""
    return request(actor, t, "watch", uri, oref, code=200, stage="ResponseStarted",
                   latency_ms=rng.uniform(0.6, 3.0), reason=reason, rr_ok=False)


def long_running(actor, t_start, t_end, verb, uri, oref, code=101, label=None):
    """exec/attach style request: ResponseStarted, later ResponseComplete, same auditID."""
    aid = request(actor, t_start, verb, uri, oref, code=code, stage="ResponseStarted",
                  latency_ms=rng.uniform(30, 70), rr_ok=False)
    request(actor, t_end, verb, uri, oref, code=code, stage="ResponseComplete",
            audit_id=aid, received=t_start, latency_ms=0, rr_ok=False)
    return aid


def meta(name, ns=None, uid=None, rv=None, created=None, **kw):
    m = {"name": name}
    if ns:
        m["namespace"] = ns
    if uid:
        m["uid"] = uid
    if rv:
        m["resourceVersion"] = rv
    if created:
        m["creationTimestamp"] = created
    m.update(kw)
    return m


# --------------------------------------------------------------------------
# background: leases
# --------------------------------------------------------------------------

LEASES = {
    ("kube-system", "kube-controller-manager"): {
        "actor": "kcm", "uid": new_uuid(), "dur": 15, "transitions": 4,
        "holder": "cp-1_" + new_uuid(), "acq": "2026-11-17T03:14:09.512004Z",
        "created": "2026-10-02T08:11:45Z", "timeout": "5s"},
    ("kube-system", "kube-scheduler"): {
        "actor": "sched_le", "uid": new_uuid(), "dur": 15, "transitions": 4,
        "holder": "cp-1_" + new_uuid(), "acq": "2026-11-17T03:14:11.090733Z",
        "created": "2026-10-02T08:11:46Z", "timeout": "5s"},
}
for _n in ("worker-1", "worker-2", "worker-3"):
    LEASES[("kube-node-lease", _n)] = {
        "actor": _n, "uid": new_uuid(), "dur": 40, "transitions": None, "holder": _n,
        "acq": None, "created": "2026-10-02T08:19:%02dZ" % (10 + int(_n[-1])), "timeout": "10s",
        "owner": {"apiVersion": "v1", "kind": "Node", "name": _n, "uid": NODE_UID[_n]}}


def lease_update(ns, name, t):
    L = LEASES[(ns, name)]
    old_rv = L.get("rv") or next_rv()
    new_rv = next_rv()
    L["rv"] = new_rv

    def body(rv):
        md = meta(name, ns, L["uid"], rv, L["created"])
        if "owner" in L:
            md["ownerReferences"] = [L["owner"]]
        spec = {"holderIdentity": L["holder"], "leaseDurationSeconds": L["dur"]}
        if L["acq"]:
            spec["acquireTime"] = L["acq"]
        spec["renewTime"] = ts(t)
        if L["transitions"] is not None:
            spec["leaseTransitions"] = L["transitions"]
        return {"kind": "Lease", "apiVersion": "coordination.k8s.io/v1", "metadata": md,
                "spec": spec}

    return request(L["actor"], t, "update",
                   "/apis/coordination.k8s.io/v1/namespaces/%s/leases/%s?timeout=%s"
                   % (ns, name, L["timeout"]),
                   objref("leases", ns, name, "coordination.k8s.io"),
                   req_obj=body(old_rv), resp_obj=body(new_rv))


def periodic(start_s, period_s, jitter_s, fn):
    s = start_s
    while s < 3600:
        off = int((s + rng.uniform(0, jitter_s)) * 1_000_000)
        if off < END_US - 2_000_000:
            fn(off)
        s += period_s


periodic(1.0, 60.0, 0.4, lambda t: lease_update("kube-system", "kube-controller-manager", t))
periodic(31.0, 60.0, 0.4, lambda t: lease_update("kube-system", "kube-scheduler", t))
periodic(5.0, 240.0, 1.0, lambda t: lease_update("kube-node-lease", "worker-1", t))
periodic(83.0, 240.0, 1.0, lambda t: lease_update("kube-node-lease", "worker-2", t))
periodic(161.0, 240.0, 1.0, lambda t: lease_update("kube-node-lease", "worker-3", t))


# --------------------------------------------------------------------------
# background: node status, probes, metrics, DNS
# --------------------------------------------------------------------------

def node_status(node, t):
    return request(node, t, "patch", "/api/v1/nodes/%s/status?timeout=10s" % node,
                   objref("nodes", name=node, sub="status"), code=200)


periodic(47.0, 300.0, 2.0, lambda t: node_status("worker-1", t))
periodic(147.0, 300.0, 2.0, lambda t: node_status("worker-2", t))
periodic(247.0, 300.0, 2.0, lambda t: node_status("worker-3", t))

_probe_i = [0]


def probe(t):
    path = ("/livez", "/healthz", "/healthz", "/readyz")[_probe_i[0] % 4]
    _probe_i[0] += 1
    request("anon", t, "get", path, None, code=200, latency_ms=rng.uniform(0.3, 2.5))


periodic(12.0, 60.0, 1.5, probe)


def hpa_metrics(t):
    request("hpa", t, "list",
            "/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods?labelSelector=app%3Dweb",
            objref("pods", "shop", group="metrics.k8s.io", version="v1beta1"))


periodic(20.0, 300.0, 2.0, hpa_metrics)


def metrics_relist(t):
    request("metrics", t, "list", "/api/v1/nodes?resourceVersion=0",
            objref("nodes"), latency_ms=rng.uniform(2, 6))


periodic(140.0, 900.0, 3.0, metrics_relist)

# metrics-server informers (still open)
watch("metrics", at(9, 2, 21),
      "/api/v1/nodes?allowWatchBookmarks=true&resourceVersion=48211902&timeout=8m51s"
      "&timeoutSeconds=531&watch=true", objref("nodes"))
watch("metrics", at(9, 47, 3),
      "/api/v1/pods?allowWatchBookmarks=true&resourceVersion=48219744&timeout=9m12s"
      "&timeoutSeconds=552&watch=true", objref("pods"))


def coredns_rewatch(actor, t, res, group, rv):
    path = "/api/v1/%s" % res if not group else "/apis/%s/v1/%s" % (group, res)
    timeout = rng.randrange(300, 600)
    watch(actor, t, "%s?allowWatchBookmarks=true&resourceVersion=%s&timeout=%dm%ds"
          "&timeoutSeconds=%d&watch=true" % (path, rv, timeout // 60, timeout % 60, timeout),
          objref(res, group=group))


# one CoreDNS pod restarted its informers with a fresh list at 09:05
for _res, _grp in (("endpointslices", "discovery.k8s.io"), ("services", None), ("namespaces", None)):
    _path = "/api/v1/%s" % _res if not _grp else "/apis/%s/v1/%s" % (_grp, _res)
    request("coredns-2", at(9, 5, 2), "list", _path + "?limit=500&resourceVersion=0",
            objref(_res, group=_grp))
    coredns_rewatch("coredns-2", at(9, 5, 3), _res, _grp, next_rv())
for _t, _who in ((at(9, 13, 40), "coredns-1"), (at(9, 29, 18), "coredns-2"),
                 (at(9, 38, 55), "coredns-1"), (at(9, 52, 7), "coredns-2")):
    for _j, (_res, _grp) in enumerate((("endpointslices", "discovery.k8s.io"),
                                       ("services", None), ("namespaces", None))):
        if rng.random() < 0.7:
            coredns_rewatch(_who, _t + _j * rng.randrange(2_000_000, 40_000_000), _res, _grp,
                            next_rv())


# --------------------------------------------------------------------------
# background: shop/web workload and its rollout
# --------------------------------------------------------------------------

SHOP_DEPLOY_UID = new_uuid()
OLD_RS, NEW_RS = "web-5c7d8f9b6", "web-6f8b7c9d5"
OLD_RS_UID, NEW_RS_UID = new_uuid(), new_uuid()
WEB_SLICE = "web-" + suffix()

OLD_PODS = [(OLD_RS + "-" + suffix(), new_uuid(), "worker-%d" % i) for i in (1, 2, 3)]
NEW_PODS = []  # filled during rollout


def web_pod_spec():
    return {
        "serviceAccountName": "web",
        "securityContext": {"runAsNonRoot": True, "runAsUser": 10001,
                            "seccompProfile": {"type": "RuntimeDefault"}},
        "containers": [{
            "name": "web",
            "image": "registry.corp.example/shop/web:1.42.0",
            "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"}],
            "envFrom": [{"configMapRef": {"name": "web-config"}}],
            "resources": {"requests": {"cpu": "100m", "memory": "128Mi"},
                          "limits": {"memory": "256Mi"}},
            "readinessProbe": {"httpGet": {"path": "/ready", "port": "http"},
                               "periodSeconds": 5},
            "securityContext": {"allowPrivilegeEscalation": False,
                                "readOnlyRootFilesystem": True,
                                "capabilities": {"drop": ["ALL"]}},
            "volumeMounts": [{"name": "tls", "mountPath": "/etc/web/tls", "readOnly": True}],
        }],
        "volumes": [{"name": "tls", "secret": {"secretName": "web-tls"}}],
    }


def create_web_pod(t):
    name = NEW_RS + "-" + suffix()
    uid = new_uuid()
    md = {"generateName": NEW_RS + "-", "namespace": "shop",
          "labels": {"app": "web", "pod-template-hash": NEW_RS.split("-")[1]},
          "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": NEW_RS,
                               "uid": NEW_RS_UID, "controller": True,
                               "blockOwnerDeletion": True}]}
    req_obj = {"kind": "Pod", "apiVersion": "v1", "metadata": md, "spec": web_pod_spec(),
               "status": {}}
    resp_md = dict(md, name=name, uid=uid, resourceVersion=next_rv(),
                   creationTimestamp=ts(t)[:19] + "Z")
    resp_obj = {"kind": "Pod", "apiVersion": "v1", "metadata": resp_md,
                "spec": dict(web_pod_spec(), restartPolicy="Always", dnsPolicy="ClusterFirst",
                             schedulerName="default-scheduler"),
                "status": {"phase": "Pending", "qosClass": "Burstable"}}
    request("rsctl", t, "create", "/api/v1/namespaces/shop/pods",
            objref("pods", "shop"), code=201, req_obj=req_obj, resp_obj=resp_obj,
            extra_ann={"pod-security.kubernetes.io/enforce-policy": "restricted:latest"})
    return name, uid


def bind(ns, name, uid, node, t):
    req_obj = {"kind": "Binding", "apiVersion": "v1",
               "metadata": {"name": name, "namespace": ns, "uid": uid, "creationTimestamp": None},
               "target": {"kind": "Node", "name": node}}
    resp_obj = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
                "code": 201}
    return request("sched", t, "create", "/api/v1/namespaces/%s/pods/%s/binding" % (ns, name),
                   objref("pods", ns, name, sub="binding"), code=201,
                   req_obj=req_obj, resp_obj=resp_obj)


def pod_status(node, ns, name, uid, t, phase, ip=None, container="web", ready=True):
    cond = "True" if ready else "False"
    status = {"conditions": [{"type": "Ready", "status": cond, "lastTransitionTime": ts(t)[:19] + "Z"},
                             {"type": "ContainersReady", "status": cond,
                              "lastTransitionTime": ts(t)[:19] + "Z"}],
              "phase": phase}
    if ip:
        status["podIP"] = ip
        status["podIPs"] = [{"ip": ip}]
        status["hostIP"] = NODE_IP[node]
    status["containerStatuses"] = [{"name": container, "ready": ready, "restartCount": 0,
                                    "started": ready,
                                    "state": {"running": {"startedAt": ts(t)[:19] + "Z"}}
                                    if ready else {"terminated": {"exitCode": 0,
                                                                  "reason": "Completed"}}}]
    req_obj = {"metadata": {"uid": uid}, "status": status}
    resp_obj = {"kind": "Pod", "apiVersion": "v1",
                "metadata": {"name": name, "namespace": ns, "uid": uid,
                             "resourceVersion": next_rv()},
                "status": dict(status)}
    return request(node, t, "patch", "/api/v1/namespaces/%s/pods/%s/status" % (ns, name),
                   objref("pods", ns, name, sub="status"), code=200,
                   req_obj=req_obj, resp_obj=resp_obj)


def kubelet_get(node, t, res, ns, name):
    return request(node, t, "get", "/api/v1/namespaces/%s/%s/%s" % (ns, res, name),
                   objref(res, ns, name))


def slice_update(t, ns="shop", name=None):
    name = name or WEB_SLICE
    return request("epslice", t, "update",
                   "/apis/discovery.k8s.io/v1/namespaces/%s/endpointslices/%s" % (ns, name),
                   objref("endpointslices", ns, name, "discovery.k8s.io"))


def delete_pod(t, name, uid):
    return request("rsctl", t, "delete", "/api/v1/namespaces/shop/pods/%s" % name,
                   objref("pods", "shop", name), code=200)


# periodic kubelet config/secret refreshes and a few endpointslice touch-ups
for _t, _n, _res, _ns, _name in (
        (at(9, 3, 14), "worker-1", "configmaps", "kube-system", "coredns"),
        (at(9, 3, 15), "worker-2", "configmaps", "kube-system", "coredns"),
        (at(9, 17, 52), "worker-3", "secrets", "shop", "web-tls"),
        (at(9, 36, 9), "worker-1", "configmaps", "shop", "web-config"),
        (at(9, 57, 40), "worker-2", "configmaps", "kube-system", "kube-proxy")):
    kubelet_get(_n, _t, _res, _ns, _name)
for _t in (at(9, 1, 38), at(9, 24, 11), at(9, 45, 57)):
    slice_update(_t, "kube-system", "kube-dns-" + "m4qzt")
slice_update(at(9, 58, 21))

# kubelets keep a watch on the pods bound to them (opened at the last reconnect)
for _i, _n in enumerate(("worker-1", "worker-2", "worker-3")):
    watch(_n, at(9, 6 + 9 * _i, 33),
          "/api/v1/pods?allowWatchBookmarks=true&fieldSelector=spec.nodeName%%3D%s"
          "&resourceVersion=%s&timeoutSeconds=%d&watch=true" % (_n, next_rv(),
                                                                rng.randrange(300, 600)),
          objref("pods"))

# --- Helm upgrade of release "shop" (revision 12) at 09:10 -------------------
HELM_SECRET = "sh.helm.release.v1.shop.v12"
request("helm", at(9, 10, 11), "list",
        "/api/v1/namespaces/shop/secrets?labelSelector=name%3Dshop%2Cowner%3Dhelm",
        objref("secrets", "shop"))
request("helm", at(9, 10, 12), "get", "/api/v1/namespaces/shop/secrets/" + HELM_SECRET,
        objref("secrets", "shop", HELM_SECRET), code=404,
        status={"metadata": {}, "status": "Failure",
                "message": 'secrets "%s" not found' % HELM_SECRET, "reason": "NotFound",
                "details": {"name": HELM_SECRET, "kind": "secrets"}, "code": 404})
request("helm", at(9, 10, 12), "create", "/api/v1/namespaces/shop/secrets",
        objref("secrets", "shop"), code=201)
request("helm", at(9, 10, 13), "get", "/apis/apps/v1/namespaces/shop/deployments/web",
        objref("deployments", "shop", "web", "apps"))
_patch = {"metadata": {"labels": {"helm.sh/chart": "web-1.42.0", "app.kubernetes.io/version": "1.42.0"}},
          "spec": {"template": {"metadata": {"annotations": {
              "checksum/config": "6c1f0b3e9a7d2c4b8e5f1a0d3c6b9e2f7a4d1c8b5e2f9a6d3c0b7e4f1a8d5c2b"}},
              "spec": {"$setElementOrder/containers": [{"name": "web"}],
                       "containers": [{"name": "web",
                                       "image": "registry.corp.example/shop/web:1.42.0"}]}}}}
request("helm", at(9, 10, 14, 102331), "patch",
        "/apis/apps/v1/namespaces/shop/deployments/web?fieldManager=helm",
        objref("deployments", "shop", "web", "apps"), code=200, req_obj=_patch,
        resp_obj={"kind": "Deployment", "apiVersion": "apps/v1",
                  "metadata": {"name": "web", "namespace": "shop", "uid": SHOP_DEPLOY_UID,
                               "resourceVersion": next_rv(), "generation": 12,
                               "labels": {"app": "web", "helm.sh/chart": "web-1.42.0",
                                          "app.kubernetes.io/managed-by": "Helm",
                                          "app.kubernetes.io/version": "1.42.0"}},
                  "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                           "strategy": {"type": "RollingUpdate",
                                        "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}},
                           "template": {"metadata": {"labels": {"app": "web"}},
                                        "spec": web_pod_spec()}},
                  "status": {"observedGeneration": 11, "replicas": 3, "readyReplicas": 3}})

# deployment-controller creates the new ReplicaSet
request("deployctl", at(9, 10, 14, 190114), "create",
        "/apis/apps/v1/namespaces/shop/replicasets", objref("replicasets", "shop", group="apps"),
        code=201)

_node_cycle = ["worker-2", "worker-3", "worker-1"]
_t = at(9, 10, 14, 260877)
for _k, (_old_name, _old_uid, _old_node) in enumerate(OLD_PODS):
    node = _node_cycle[_k]
    name, uid = create_web_pod(_t)
    NEW_PODS.append((name, uid, node))
    bind("shop", name, uid, node, _t + rng.randrange(15_000, 60_000))
    kubelet_get(node, _t + rng.randrange(400_000, 900_000), "configmaps", "shop", "web-config")
    kubelet_get(node, _t + rng.randrange(950_000, 1_400_000), "secrets", "shop", "web-tls")
    _ip = "10.244.%d.%d" % (int(node[-1]), rng.randrange(30, 90))
    pod_status(node, "shop", name, uid, _t + rng.randrange(6_000_000, 9_000_000), "Running", _ip)
    slice_update(_t + rng.randrange(9_100_000, 9_600_000))
    # scale down one old pod once the new one is ready
    _td = _t + rng.randrange(10_000_000, 11_000_000)
    delete_pod(_td, _old_name, _old_uid)
    slice_update(_td + rng.randrange(40_000, 200_000))
    pod_status(_old_node, "shop", _old_name, _old_uid, _td + rng.randrange(2_000_000, 4_000_000),
               "Running", container="web", ready=False)
    _t = _td + rng.randrange(600_000, 1_500_000)

_deploy_status = {"kind": "Deployment", "apiVersion": "apps/v1",
                  "metadata": {"name": "web", "namespace": "shop", "uid": SHOP_DEPLOY_UID,
                               "resourceVersion": next_rv(), "generation": 12},
                  "status": {"observedGeneration": 12, "replicas": 3, "updatedReplicas": 3,
                             "readyReplicas": 3, "availableReplicas": 3}}
request("deployctl", _t + 500_000, "update",
        "/apis/apps/v1/namespaces/shop/deployments/web/status",
        objref("deployments", "shop", "web", "apps", sub="status"), code=200,
        req_obj=_deploy_status,
        resp_obj=dict(_deploy_status, metadata=dict(_deploy_status["metadata"],
                                                     resourceVersion=next_rv())))
request("helm", _t + 900_000, "update", "/api/v1/namespaces/shop/secrets/" + HELM_SECRET,
        objref("secrets", "shop", HELM_SECRET), code=200)
request("helm", _t + 1_300_000, "get", "/api/v1/namespaces/shop/secrets/" + HELM_SECRET,
        objref("secrets", "shop", HELM_SECRET))

WEB = [p[0] for p in NEW_PODS]


# --------------------------------------------------------------------------
# background: humans
# --------------------------------------------------------------------------

def kubectl_get_pods(who, t, ns="shop"):
    request(who, t, "list", "/api/v1/namespaces/%s/pods?limit=500" % ns, objref("pods", ns))


def kubectl_logs(who, t, pod):
    request(who, t, "get", "/api/v1/namespaces/shop/pods/%s" % pod, objref("pods", "shop", pod))
    request(who, t + rng.randrange(20_000, 60_000), "get",
            "/api/v1/namespaces/shop/pods/%s/log?container=web&tailLines=200" % pod,
            objref("pods", "shop", pod, sub="log"), latency_ms=rng.uniform(30, 120))


def kubectl_describe_deploy(who, t):
    request(who, t, "get", "/apis/apps/v1/namespaces/shop/deployments/web",
            objref("deployments", "shop", "web", "apps"))
    request(who, t + 31_000, "list",
            "/apis/apps/v1/namespaces/shop/replicasets?labelSelector=app%3Dweb",
            objref("replicasets", "shop", group="apps"))
    request(who, t + 58_000, "list",
            "/api/v1/namespaces/shop/events?fieldSelector=involvedObject.name%3Dweb%2C"
            "involvedObject.namespace%3Dshop%2CinvolvedObject.kind%3DDeployment"
            "%2CinvolvedObject.uid%3D" + SHOP_DEPLOY_UID,
            objref("events", "shop"))


# alice: checks the rollout after the helm upgrade
request("alice", at(9, 13, 2), "get", "/version?timeout=32s", None, reason=DISCOVERY_REASON)
kubectl_get_pods("alice", at(9, 13, 9))
kubectl_describe_deploy("alice", at(9, 13, 31))
kubectl_logs("alice", at(9, 14, 4), WEB[0])
request("alice", at(9, 15, 20), "list", "/apis/metrics.k8s.io/v1beta1/nodes",
        objref("nodes", group="metrics.k8s.io", version="v1beta1"))

# bob: looks at pods and logs, then tries secrets in kube-system (denied)
kubectl_get_pods("bob", at(9, 26, 3))
kubectl_logs("bob", at(9, 26, 40), WEB[1])
for _t, _verb, _name in ((at(9, 27, 12), "list", None), (at(9, 27, 25), "list", None),
                         (at(9, 27, 58), "get", "bootstrap-token-8kq2zc")):
    _uri = "/api/v1/namespaces/kube-system/secrets" + ("/" + _name if _name else "?limit=500")
    request("bob", _t, _verb, _uri, objref("secrets", "kube-system", _name), code=403,
            decision="forbid", reason="",
            status=forbidden(_verb, "secrets", "kube-system", "bob@corp.example"))

# alice: legitimate interactive exec into a web pod
_exec_pod = WEB[2]
_alice_exec = long_running(
    "alice", at(9, 33, 41), at(9, 35, 16), "create",
    "/api/v1/namespaces/shop/pods/%s/exec?command=sh&container=web&stdin=true&stdout=true&tty=true"
    % _exec_pod, objref("pods", "shop", _exec_pod, sub="exec"))
kubectl_get_pods("alice", at(9, 33, 30))

# bob: later describe + logs
kubectl_describe_deploy("bob", at(9, 50, 14))
kubectl_logs("bob", at(9, 51, 2), WEB[0])
kubectl_get_pods("bob", at(9, 51, 40))

# alice: `kubectl get pods -w` left running
kubectl_get_pods("alice", at(9, 55, 10))
watch("alice", at(9, 55, 10, 640112),
      "/api/v1/namespaces/shop/pods?resourceVersion=%s&watch=true" % next_rv(),
      objref("pods", "shop"))


# --------------------------------------------------------------------------
# attack chain A: RBAC backdoor (dev-contractor@corp.example, 203.0.113.45)
# --------------------------------------------------------------------------

ROLE = "system:metrics-aggregator"
SA = "metrics-aggregator"
TOKEN_JTI = "5b2e8c41-97d3-4f6a-a0e2-3c9d17f48b65"

CHAIN["A1 list clusterroles"] = request(
    "contractor", at(9, 20, 5), "list",
    "/apis/rbac.authorization.k8s.io/v1/clusterroles?limit=500",
    objref("clusterroles", group="rbac.authorization.k8s.io"), rr_ok=False)

_cr = {"kind": "ClusterRole", "apiVersion": "rbac.authorization.k8s.io/v1",
       "metadata": {"name": ROLE, "creationTimestamp": None},
       "rules": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}]}
_t = at(9, 20, 41)
CHAIN["A2 create clusterrole"] = request(
    "contractor", _t, "create",
    "/apis/rbac.authorization.k8s.io/v1/clusterroles?fieldManager=kubectl-create&fieldValidation=Strict",
    objref("clusterroles", name=ROLE, group="rbac.authorization.k8s.io"), code=201,
    req_obj=_cr,
    resp_obj=dict(_cr, metadata={"name": ROLE, "uid": new_uuid(), "resourceVersion": next_rv(),
                                 "creationTimestamp": ts(_t)[:19] + "Z"}),
    rr_ok=False)

_sa = {"kind": "ServiceAccount", "apiVersion": "v1",
       "metadata": {"name": SA, "namespace": "kube-system", "creationTimestamp": None}}
_t = at(9, 21, 10)
SA_UID = new_uuid()
CHAIN["A3 create serviceaccount"] = request(
    "contractor", _t, "create",
    "/api/v1/namespaces/kube-system/serviceaccounts?fieldManager=kubectl-create&fieldValidation=Strict",
    objref("serviceaccounts", "kube-system", SA), code=201, req_obj=_sa,
    resp_obj=dict(_sa, metadata={"name": SA, "namespace": "kube-system", "uid": SA_UID,
                                 "resourceVersion": next_rv(),
                                 "creationTimestamp": ts(_t)[:19] + "Z"}),
    rr_ok=False)

_crb = {"kind": "ClusterRoleBinding", "apiVersion": "rbac.authorization.k8s.io/v1",
        "metadata": {"name": ROLE, "creationTimestamp": None},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": ROLE},
        "subjects": [{"kind": "ServiceAccount", "name": SA, "namespace": "kube-system"}]}
_t = at(9, 21, 38)
CHAIN["A4 create clusterrolebinding"] = request(
    "contractor", _t, "create",
    "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings?fieldManager=kubectl-create&fieldValidation=Strict",
    objref("clusterrolebindings", name=ROLE, group="rbac.authorization.k8s.io"), code=201,
    req_obj=_crb,
    resp_obj=dict(_crb, metadata={"name": ROLE, "uid": new_uuid(), "resourceVersion": next_rv(),
                                  "creationTimestamp": ts(_t)[:19] + "Z"}),
    rr_ok=False)

_t = at(9, 22, 2)
_tr = {"kind": "TokenRequest", "apiVersion": "authentication.k8s.io/v1",
       "metadata": {"creationTimestamp": None},
       "spec": {"audiences": None, "expirationSeconds": 31536000, "boundObjectRef": None},
       "status": {"token": "", "expirationTimestamp": None}}
CHAIN["A5 create serviceaccounts/token"] = request(
    "contractor", _t, "create",
    "/api/v1/namespaces/kube-system/serviceaccounts/%s/token" % SA,
    objref("serviceaccounts", "kube-system", SA, sub="token"), code=201, req_obj=_tr,
    resp_obj={"kind": "TokenRequest", "apiVersion": "authentication.k8s.io/v1",
              "metadata": {"name": SA, "namespace": "kube-system", "uid": SA_UID,
                           "creationTimestamp": ts(_t)[:19] + "Z"},
              "spec": {"audiences": ["https://kubernetes.default.svc.cluster.local"],
                       "expirationSeconds": 31536000, "boundObjectRef": None},
              "status": {"token": "", "expirationTimestamp": "2027-11-20T09:22:02Z"}},
    extra_ann={"authentication.kubernetes.io/issued-credential-id": "JTI=" + TOKEN_JTI},
    rr_ok=False)


# --------------------------------------------------------------------------
# attack chain B: privileged pod + exec (jane@corp.example, 192.0.2.77)
# --------------------------------------------------------------------------

POD = "node-shell-7f9c"
POD_UID = new_uuid()
_pod_spec = {
    "hostPID": True,
    "nodeName": "worker-2",
    "tolerations": [{"operator": "Exists"}],
    "containers": [{
        "name": "shell",
        "image": "docker.io/library/alpine:3.20",
        "command": ["nsenter", "-t", "1", "-m", "-u", "-i", "-n", "sh"],
        "stdin": True, "tty": True,
        "securityContext": {"privileged": True},
        "volumeMounts": [{"name": "host", "mountPath": "/host"}],
    }],
    "volumes": [{"name": "host", "hostPath": {"path": "/"}}],
}
_pod = {"kind": "Pod", "apiVersion": "v1",
        "metadata": {"name": POD, "namespace": "default", "creationTimestamp": None},
        "spec": _pod_spec, "status": {}}
_t = at(9, 41, 12)
CHAIN["B1 create privileged pod"] = request(
    "jane", _t, "create", "/api/v1/namespaces/default/pods?fieldManager=kubectl-create&fieldValidation=Strict",
    objref("pods", "default", POD), code=201, req_obj=_pod,
    resp_obj={"kind": "Pod", "apiVersion": "v1",
              "metadata": {"name": POD, "namespace": "default", "uid": POD_UID,
                           "resourceVersion": next_rv(), "creationTimestamp": ts(_t)[:19] + "Z"},
              "spec": dict(_pod_spec, restartPolicy="Always", dnsPolicy="ClusterFirst",
                           serviceAccountName="default", schedulerName="default-scheduler"),
              "status": {"phase": "Pending", "qosClass": "BestEffort"}},
    extra_ann={"pod-security.kubernetes.io/enforce-policy": "privileged:latest",
               "pod-security.kubernetes.io/audit-violations":
                   'would violate PodSecurity "baseline:latest": host namespaces (hostPID=true), '
                   'privileged (container "shell" must not set securityContext.privileged=true), '
                   'hostPath volumes (volume "host")'},
    rr_ok=False)
CHAIN["B2 scheduler pods/binding"] = bind("default", POD, POD_UID, "worker-2", at(9, 41, 15))
pod_status("worker-2", "default", POD, POD_UID, at(9, 41, 18), "Running", "10.244.2.61",
           container="shell")
CHAIN["B3 exec"] = long_running(
    "jane", at(9, 42, 30), at(9, 49, 2), "create",
    "/api/v1/namespaces/default/pods/%s/exec?command=sh&container=shell&stdin=true&stdout=true&tty=true"
    % POD, objref("pods", "default", POD, sub="exec"))
CHAIN["B4 list secrets kube-system"] = request(
    "jane", at(9, 43, 10), "list", "/api/v1/namespaces/kube-system/secrets?limit=500",
    objref("secrets", "kube-system"), code=200, rr_ok=False)


# --------------------------------------------------------------------------
# RequestReceived stages (~10%) and redeliveries, then sort and write
# --------------------------------------------------------------------------

def add_request_received(idx):
    ev = LINES[idx][2]
    rr = {k: v for k, v in ev.items()
          if k not in ("responseStatus", "requestObject", "responseObject")}
    rr["stage"] = "RequestReceived"
    rr["stageTimestamp"] = rr["requestReceivedTimestamp"]
    _push(rr)


# ~10% of all requests (distinct auditIDs) get a RequestReceived line
_n_rr = round(0.10 * len({ev["auditID"] for _, _, ev in LINES}))
for _idx in sorted(rng.sample(RR_CANDIDATES, _n_rr)):
    add_request_received(_idx)

LINES.sort(key=lambda x: (x[0], x[1]))

# three redeliveries of background ResponseComplete lines (verbatim copies); a copy
# is placed right after its original so the file stays sorted by stageTimestamp
_dup_pool = [i for i, (_, _, ev) in enumerate(LINES)
             if ev["stage"] == "ResponseComplete" and ev["verb"] in ("update", "patch")]
_dup_idx = sorted(rng.sample(_dup_pool, 3), reverse=True)
_rendered = [json.dumps(ev, separators=(",", ":")) for _, _, ev in LINES]
for _i in _dup_idx:
    _rendered.insert(_i + 1, _rendered[_i])

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sample", OUT_NAME)
with open(out, "w", encoding="utf-8", newline="\n") as fh:
    for line in _rendered:
        fh.write(line + "\n")

_ids = {json.loads(l)["auditID"] for l in _rendered}
print("wrote %s: %d lines, %d distinct auditIDs, %d RequestReceived, %d redeliveries, "
      "%s .. %s" % (OUT_NAME, len(_rendered), len(_ids), _n_rr, len(_dup_idx),
                    json.loads(_rendered[0])["stageTimestamp"],
                    json.loads(_rendered[-1])["stageTimestamp"]))
if os.environ.get("CHAINWATCH_SAMPLE_VERBOSE"):
    for k, v in CHAIN.items():
        print("  %-34s %s" % (k, v))
