package io.chainwatch.pattern;

import io.chainwatch.ingest.AuditEvent;
import io.chainwatch.ingest.AuditEventParser;
import io.chainwatch.ingest.DeadLetter;
import io.chainwatch.ingest.RawRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Conditions as authors write them, compiled by the loader and evaluated against parsed events. */
class ConditionTest {

    private static final String EVENT = "{\"auditID\":\"c1\",\"verb\":\"create\",\"stage\":\"ResponseComplete\","
            + "\"stageTimestamp\":\"2026-01-01T00:00:00Z\",\"requestURI\":\"/api/v1/namespaces/kube-system/pods\","
            + "\"user\":{\"username\":\"Jane@Example.com\",\"groups\":[\"ops\",\"system:authenticated\"],"
            + "\"extra\":{\"authentication.kubernetes.io/pod-name\":[\"runner-1\"]}},"
            + "\"sourceIPs\":[\"10.1.2.3\",\"2001:db8::7\"],\"userAgent\":\"kubectl/v1.31.2 (linux/amd64)\","
            + "\"objectRef\":{\"resource\":\"pods\",\"namespace\":\"kube-system\",\"name\":\"p\"},"
            + "\"responseStatus\":{\"code\":201},\"annotations\":{\"authorization.k8s.io/decision\":\"allow\"},"
            + "\"requestObject\":{\"spec\":{\"hostPID\":true,\"containers\":[{\"name\":\"a\",\"image\":\"nginx:1.27\","
            + "\"securityContext\":{\"privileged\":false},\"ports\":[{\"containerPort\":80}]},"
            + "{\"name\":\"b\",\"image\":\"xmrig/xmrig:latest\",\"securityContext\":{\"privileged\":true,"
            + "\"capabilities\":{\"add\":[\"SYS_ADMIN\",\"NET_ADMIN\"]}},\"ports\":[{\"containerPort\":3333}]}]}}}";

    private static final AuditEvent E = parse(EVENT);

    static AuditEvent parse(String json) {
        List<AuditEvent> out = new ArrayList<>();
        new AuditEventParser("c", 100).parse(RawRecord.of("t", 1, json.getBytes(StandardCharsets.UTF_8)),
                new AuditEventParser.Output() {
                    @Override
                    public void event(AuditEvent event) {
                        out.add(event);
                    }

                    @Override
                    public void deadLetter(DeadLetter d) {
                        throw new AssertionError(d.toString());
                    }

                    @Override
                    public void skipped(String category) {
                        throw new AssertionError(category);
                    }
                });
        return out.get(0);
    }

    /** Compiles a single-event pattern whose where block is {@code where} (YAML flow style). */
    static Condition where(String where) {
        PatternLoader.Result r = PatternLoader.loadText("t.yaml",
                "id: t\ntitle: t\nseverity: low\nwhere: " + where + "\n");
        assertThat(r.problems).as(where).isEmpty();
        return r.patterns.get(0).steps.get(0).where;
    }

    static boolean matches(String where) {
        return where(where).test(E);
    }

    @Test
    void equalsAndIn() {
        assertThat(matches("{verb: create}")).isTrue();
        assertThat(matches("{verb: delete}")).isFalse();
        assertThat(matches("{verb: [get, create]}")).isTrue();
        assertThat(matches("{verb: {in: [get, list]}}")).isFalse();
        assertThat(matches("{responseStatus.code: 201}")).isTrue();
        assertThat(matches("{responseStatus.code: [200, 201]}")).isTrue();
        assertThat(matches("{requestObject.spec.hostPID: true}")).isTrue();
        assertThat(matches("{requestObject.spec.hostNetwork: true}")).as("absent field").isFalse();
    }

    @Test
    void textOperatorsAndCase() {
        assertThat(matches("{userAgent: {prefix: kubectl/}}")).isTrue();
        assertThat(matches("{userAgent: {suffix: (linux/amd64)}}")).isTrue();
        assertThat(matches("{requestURI: {contains: /kube-system/}}")).isTrue();
        assertThat(matches("{user.username: jane@example.com}")).isFalse();
        assertThat(matches("{user.username: {equals: jane@example.com, ignoreCase: true}}")).isTrue();
        assertThat(matches("{user.username: {prefix: [JANE, bob], ignoreCase: true}}")).isTrue();
        assertThat(matches("{userAgent: {regex: '^kubectl/v1\\.3[0-9]\\.'}}")).isTrue();
        assertThat(matches("{user.username: {regex: '^jane@', ignoreCase: true}}")).isTrue();
    }

    @Test
    void arraysMatchAnyByDefaultAndAllOnRequest() {
        assertThat(matches("{'requestObject.spec.containers[*].securityContext.privileged': true}")).isTrue();
        assertThat(matches("{'requestObject.spec.containers[*].securityContext.privileged': {equals: true, match: all}}")).isFalse();
        assertThat(matches("{'requestObject.spec.containers[*].image': {contains: ':', match: all}}")).isTrue();
        assertThat(matches("{'requestObject.spec.containers[0].image': {prefix: nginx}}")).isTrue();
        assertThat(matches("{'requestObject.spec.containers[1].image': {prefix: nginx}}")).isFalse();
        assertThat(matches("{requestObject.spec.containers.securityContext.capabilities.add: SYS_ADMIN}"))
                .as("field access on an array applies to each element").isTrue();
        assertThat(matches("{'requestObject.spec.containers[*].ports[*].containerPort': {gte: 3000, lt: 4000}}")).isTrue();
        assertThat(matches("{user.groups: system:authenticated}")).isTrue();
        assertThat(matches("{user.extra.authentication.kubernetes.io/pod-name: runner-1}")).isTrue();
        assertThat(matches("{annotations.authorization.k8s.io/decision: allow}")).isTrue();
    }

    @Test
    void numericExistsAndCidr() {
        assertThat(matches("{responseStatus.code: {gte: 200, lt: 300}}")).isTrue();
        assertThat(matches("{responseStatus.code: {gt: 201}}")).isFalse();
        assertThat(matches("{requestObject.spec.hostPID: {exists: true}}")).isTrue();
        assertThat(matches("{requestObject.spec.hostIPC: {exists: false}}")).isTrue();
        assertThat(matches("{objectRef.subresource: {exists: false}}")).isTrue();
        assertThat(matches("{clientIP: {cidr: 10.0.0.0/8}}")).isTrue();
        assertThat(matches("{clientIP: {cidr: [192.168.0.0/16, 172.16.0.0/12]}}")).isFalse();
        assertThat(matches("{peerIP: {cidr: '2001:db8::/32'}}")).isTrue();
        assertThat(matches("{sourceIPs: {cidr: 10.1.2.3}}")).isTrue();
        assertThat(matches("{userAgent: {cidr: 10.0.0.0/8}}")).as("not an address").isFalse();
    }

    @Test
    void groupsAndNegation() {
        assertThat(matches("{any: [{verb: delete}, {verb: create}]}")).isTrue();
        assertThat(matches("{all: [{verb: create}, {objectRef.resource: secrets}]}")).isFalse();
        assertThat(matches("{none: [{verb: delete}, {objectRef.resource: secrets}]}")).isTrue();
        assertThat(matches("{not: {verb: create}}")).isFalse();
        assertThat(matches("{user.username: {not: {prefix: 'system:'}}}")).isTrue();
        assertThat(matches("{verb: create, none: [{principal: {prefix: 'system:node:'}}]}")).isTrue();
        assertThat(matches("{verb: create, objectRef.namespace: default}")).as("all fields must hold").isFalse();
    }

    @Test
    void cidrParsesLiteralsOnly() {
        assertThat(Cidr.parse("10.0.0.0/8").contains("10.255.1.1")).isTrue();
        assertThat(Cidr.parse("10.0.0.0/8").contains("::ffff:10.1.1.1")).isTrue();
        assertThat(Cidr.parse("fd00::/8").contains("fd12:3456::1")).isTrue();
        assertThat(Cidr.parse("10.1.2.0/23").contains("10.1.3.9")).isTrue();
        assertThat(Cidr.parse("10.1.2.0/24").contains("10.1.3.9")).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains("example.com")).isFalse();
        assertThatThrownBy(() -> Cidr.parse("example.com/8")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fieldPathsResolveDerivedAndNestedValues() {
        assertThat(FieldPath.parse("podName").firstText(E)).isEqualTo("runner-1");
        assertThat(FieldPath.parse("requestObject.spec.containers[1].image").firstText(E)).isEqualTo("xmrig/xmrig:latest");
        assertThat(FieldPath.parse("requestObject.spec[\"hostPID\"]").values(E)).containsExactly(true);
        assertThat(FieldPath.parse("sourceIPs").values(E)).containsExactly("10.1.2.3", "2001:db8::7");
        assertThatThrownBy(() -> FieldPath.parse("objectRef.resurce"))
                .hasMessageContaining("did you mean 'objectRef.resource'");
        assertThatThrownBy(() -> FieldPath.parse("requestObject.spec[x]")).hasMessageContaining("[*], [N]");
    }

    @Test
    void requiredValuesPinDownResourceAndVerbForTheRouterIndex() {
        FieldPath resource = FieldPath.parse("objectRef.resource");
        FieldPath verb = FieldPath.parse("verb");
        assertThat(where("{verb: create, objectRef.resource: pods}").requiredValues(resource)).containsExactly("pods");
        assertThat(where("{verb: [create, update], objectRef.resource: pods}").requiredValues(verb))
                .containsExactlyInAnyOrder("create", "update");
        assertThat(where("{any: [{objectRef.resource: roles}, {objectRef.resource: clusterroles}]}").requiredValues(resource))
                .containsExactlyInAnyOrder("roles", "clusterroles");
        // one branch leaves the resource open: nothing is pinned down
        assertThat(where("{any: [{objectRef.resource: roles}, {verb: delete}]}").requiredValues(resource)).isNull();
        // negation, prefixes and case-insensitive equality pin nothing down
        assertThat(where("{not: {objectRef.resource: pods}}").requiredValues(resource)).isNull();
        assertThat(where("{objectRef.resource: {prefix: pod}}").requiredValues(resource)).isNull();
        assertThat(where("{objectRef.resource: {equals: Pods, ignoreCase: true}}").requiredValues(resource)).isNull();
        assertThat(where("{userAgent: {prefix: kubectl/}}").requiredValues(resource)).isNull();
        // what is pinned down is necessary: an event outside the set never matches
        assertThat(where("{objectRef.resource: pods}").requiredValues(resource)).contains(E.resource);
    }

    @Test
    void anObjectComparesAsItsJsonText() {
        assertThat(matches("{requestObject.spec: {contains: xmrig}}")).isTrue();
        assertThat(matches("{requestObject.spec: {contains: '\"hostPID\":true'}}")).isTrue();
        assertThat(matches("{requestObject.spec: {contains: hostNetwork}}")).isFalse();
    }
}
