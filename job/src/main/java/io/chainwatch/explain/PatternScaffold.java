package io.chainwatch.explain;

/** The starting point {@code chainwatch patterns new ID} writes: a valid two-step sequence with tests to edit. */
public final class PatternScaffold {

    private PatternScaffold() {}

    public static String render(String id) {
        return String.join("\n",
                "id: " + id,
                "title: TODO one-line title of what was detected",
                "description: >",
                "  TODO what the sequence means and why it matters.",
                "severity: medium",
                "status: experimental",
                "tactics: []            # e.g. [persistence, privilege-escalation]",
                "techniques: []         # e.g. [T1098.006]",
                "references: []",
                "falsePositives: []",
                "remediation: TODO what a responder should do",
                "author: TODO",
                "equivalents: {}        # e.g. {falco: [Rule Name], defender: [K8S_...]}",
                "key: {actor: principal}",
                "within: 10m",
                "steps:",
                "  - name: first",
                "    where: {verb: create, objectRef.resource: roles}",
                "  - name: second",
                "    where: {verb: create, objectRef.resource: rolebindings}",
                "    join: {requestObject.roleRef.name: first.objectName}",
                "summary: \"{{key.actor}} created role {{steps.first.objectName}} and bound it in {{steps.second.objectName}}\"",
                "tests:",
                "  - name: fires when both steps happen in order",
                "    events:",
                "      - {verb: create, user: {username: dev@example.com}, objectRef: {resource: roles, namespace: a, name: r1}}",
                "      - {at: 1m, verb: create, user: {username: dev@example.com}, objectRef: {resource: rolebindings, namespace: a, name: b1},",
                "         requestObject: {roleRef: {kind: Role, name: r1}}}",
                "    expect: {alerts: 1, evidence: [0, 1]}",
                "  - name: stays quiet when the binding names another role",
                "    events:",
                "      - {verb: create, user: {username: dev@example.com}, objectRef: {resource: roles, namespace: a, name: r1}}",
                "      - {at: 1m, verb: create, user: {username: dev@example.com}, objectRef: {resource: rolebindings, namespace: a, name: b1},",
                "         requestObject: {roleRef: {kind: Role, name: view}}}",
                "    expect: {alerts: 0}",
                "");
    }
}
