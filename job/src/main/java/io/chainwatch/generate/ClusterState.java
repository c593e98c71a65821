package io.chainwatch.generate;

import io.chainwatch.generate.ClusterProfile.App;
import io.chainwatch.generate.ClusterProfile.Node;
import io.chainwatch.generate.ClusterProfile.Pod;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What changes while a cluster runs: the pods of each app and etcd's resourceVersion. One thread per cluster. */
final class ClusterState {
    final ClusterProfile profile;
    private long resourceVersion;
    private final Rng rng;
    private final Set<String> claimed = new HashSet<>();

    ClusterState(ClusterProfile profile) {
        this.profile = profile;
        this.rng = new Rng(profile.seed).child("state");
        this.resourceVersion = 40_000_000L + rng.nextInt(20_000_000);
        for (App app : profile.apps) {
            for (int i = 0; i < app.replicas; i++) {
                app.pods.add(newPod(app, profile.nodes.get((i + app.name.length()) % profile.nodes.size())));
            }
        }
    }

    /** The next etcd revision (writes advance it by 1..40: other objects change too). */
    String nextResourceVersion() {
        resourceVersion += 1 + rng.nextInt(40);
        return Long.toString(resourceVersion);
    }

    /** Claims a name for an object that must be unique in the cluster; false when it is taken. */
    boolean claim(String kindAndName) {
        return claimed.add(kindAndName);
    }

    /** Whether {@link #claim} took the name already (without claiming it). */
    boolean claimed(String kindAndName) {
        return claimed.contains(kindAndName);
    }

    /** Claim prefix of a node that a node-token-misuse instance uses: other node-access pods avoid it. */
    static final String FOOTHOLD_NODE = "foothold-node/";

    /** {@code preferred}, or the next node no node-token-misuse instance reserved (all reserved: preferred). */
    Node unreservedNode(Node preferred) {
        List<Node> nodes = profile.nodes;
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get((preferred.index - 1 + i) % nodes.size());
            if (!claimed(FOOTHOLD_NODE + n.name)) {
                return n;
            }
        }
        return preferred;
    }

    String currentResourceVersion() {
        return Long.toString(resourceVersion);
    }

    Pod newPod(App app, Node node) {
        String name = app.rsName() + "-" + rng.suffix(5);
        return new Pod(name, rng.uuid(), node.nextPodIP(), node, app, rng.nextLong());
    }

    /** A node for a new pod: the one with the fewest pods of this app, ties by index. */
    Node placeFor(App app, Rng r) {
        int[] load = new int[profile.nodes.size()];
        for (Pod p : app.pods) {
            load[p.node.index - 1]++;
        }
        int best = r.nextInt(load.length);
        for (int i = 0; i < load.length; i++) {
            if (load[i] < load[best]) {
                best = i;
            }
        }
        return profile.nodes.get(best);
    }

    List<Pod> podsOn(Node node) {
        List<Pod> out = new ArrayList<>();
        for (App a : profile.apps) {
            for (Pod p : a.pods) {
                if (p.node == node) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    App popularApp(Rng r) {
        return profile.apps.get(r.zipf(profile.appPopularity));
    }
}
