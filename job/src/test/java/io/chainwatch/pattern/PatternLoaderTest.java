package io.chainwatch.pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PatternLoaderTest {

    private static final String SEQUENCE = String.join("\n",
            "id: role-then-bind",
            "title: Role then binding",
            "severity: high",
            "tactics: [persistence]",
            "techniques: [T1098.006]",
            "equivalents: {falco: [Some Rule]}",
            "key: {actor: principal}",
            "within: 10m",
            "steps:",
            "  - name: role",
            "    where: {verb: create, objectRef.resource: clusterroles}",
            "  - name: bind",
            "    key: {actor: user.username}",
            "    where: {verb: create, objectRef.resource: clusterrolebindings, requestObject.roleRef.kind: ClusterRole}",
            "summary: '{{key.actor}} bound {{steps.bind.requestObject.roleRef.name}}'",
            "tests:",
            "  - name: fires",
            "    events:",
            "      - {verb: create, objectRef: {resource: clusterroles}}",
            "      - {at: 1m, verb: create, objectRef: {resource: clusterrolebindings}}",
            "    expect: {alerts: 1}",
            "");

    @Test
    void loadsASequence() {
        PatternLoader.Result r = PatternLoader.loadText("p.yaml", SEQUENCE);
        assertThat(r.problems).isEmpty();
        PatternDefinition def = r.patterns.get(0);
        assertThat(def.id).isEqualTo("role-then-bind");
        assertThat(def.isSequence()).isTrue();
        assertThat(def.within).isEqualTo(Duration.ofMinutes(10));
        assertThat(def.severity).isEqualTo(Severity.HIGH);
        assertThat(def.status).isEqualTo("experimental");
        assertThat(def.requiredLevel).as("inferred from requestObject paths").isEqualTo("Request");
        assertThat(def.keyFor(0)).extracting(k -> k.path.toString()).containsExactly("principal");
        assertThat(def.keyFor(1)).extracting(k -> k.path.toString()).containsExactly("user.username");
        assertThat(def.tests).singleElement().satisfies(t -> {
            assertThat(t.events).hasSize(2);
            assertThat(t.events.get(1).at).isEqualTo(Duration.ofMinutes(1));
            assertThat(t.events.get(1).event.has("at")).isFalse();
            assertThat(t.location).isEqualTo("p.yaml:17");
        });
        assertThat(def.summary.pathsFor("bind")).containsExactly("requestObject.roleRef.name");
    }

    private static List<String> errors(String yaml) {
        return PatternLoader.loadText("bad.yaml", yaml).problems.stream()
                .filter(PatternProblem::isError).map(PatternProblem::toString).collect(Collectors.toList());
    }

    @Test
    void reportsEveryErrorWithFileLineAndColumn() {
        String yaml = SEQUENCE
                .replace("within: 10m", "witin: 10m")
                .replace("objectRef.resource: clusterroles}", "objectRef.resorce: clusterroles}")
                .replace("severity: high", "severity: urgent");
        List<String> errors = errors(yaml);
        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("bad.yaml:8:1: error: unknown pattern key 'witin'; did you mean 'within'?"));
        List<String> warnings = PatternLoader.loadText("bad.yaml", yaml).problems.stream()
                .filter(p -> !p.isError()).map(PatternProblem::toString).collect(Collectors.toList());
        assertThat(warnings).as("an unknown field is a warning: the condition can never match")
                .anySatisfy(e -> assertThat(e).startsWith("bad.yaml:11:").contains("warning: unknown field 'objectRef.resorce'")
                .contains("did you mean 'objectRef.resource'").contains("never matches"));
        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("bad.yaml:3:11: error: severity must be one of"));
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("a sequence needs 'within'"));
    }

    @Test
    void rejectsWhatFlinkCannotRunOrWouldRunBadly() {
        assertThat(errors(SEQUENCE.replace("within: 10m", "within: 30d"))).anySatisfy(e -> assertThat(e).contains("exceeds the maximum of 7d"));
        assertThat(errors(SEQUENCE.replace("within: 10m", "within: soon"))).anySatisfy(e -> assertThat(e).contains("is not a duration"));
        assertThat(errors(SEQUENCE.replace("key: {actor: principal}\n", ""))).anySatisfy(e -> assertThat(e).contains("a sequence needs a correlation 'key'"));
        assertThat(errors(SEQUENCE.replace("key: {actor: user.username}", "key: {who: user.username}")))
                .anySatisfy(e -> assertThat(e).contains("must name the same fields as the pattern key"));
        assertThat(errors(SEQUENCE.replace("{{key.actor}}", "{{key.nobody}}"))).anySatisfy(e -> assertThat(e).contains("the key has no field 'nobody'"));
        assertThat(errors(SEQUENCE.replace("steps.bind.", "steps.binding."))).anySatisfy(e -> assertThat(e).contains("no step named 'binding'"));
        assertThat(errors(SEQUENCE.replace("verb: create, objectRef.resource: clusterroles", "verb: {regex: '(unclosed'}")))
                .anySatisfy(e -> assertThat(e).startsWith("bad.yaml:11:").contains("invalid RE2 regular expression"));
        assertThat(errors(SEQUENCE.replace("verb: create, objectRef.resource: clusterroles", "verb: {regex: '(a)\\1'}")))
                .as("backreferences are not linear-time; RE2 refuses them").anySatisfy(e -> assertThat(e).contains("invalid RE2"));
        assertThat(errors(SEQUENCE.replace("verb: create, objectRef.resource: clusterroles", "verb: {gt: 3}")))
                .anySatisfy(e -> assertThat(e).contains("'verb' is a string field; gt compares numbers"));
        assertThat(errors(SEQUENCE.replace("verb: create, objectRef.resource: clusterroles", "responseStatus.code: [200, created]")))
                .as("wrong type").anySatisfy(e -> assertThat(e).contains("'responseStatus.code' is an integer field; 'created' can never equal it"));
        assertThat(errors(SEQUENCE.replace("verb: create, objectRef.resource: clusterroles", "clientIP: {cidr: 10.0.0.0/99}")))
                .anySatisfy(e -> assertThat(e).contains("prefix length out of range"));
        assertThat(errors(SEQUENCE.replace("expect: {alerts: 1}", "expect: {alerts: many}"))).anySatisfy(e -> assertThat(e).contains("expect: {alerts: N}"));
        assertThat(errors(SEQUENCE.replace("techniques: [T1098.006]", "techniques: [persistence]"))).anySatisfy(e -> assertThat(e).contains("not a MITRE ATT&CK technique id"));
        assertThat(errors(SEQUENCE.replace("  - name: bind", "  - name: role"))).anySatisfy(e -> assertThat(e).contains("is used twice"));
    }

    @Test
    void reportsYamlSyntaxAndDuplicateKeysWithTheirPosition() {
        assertThat(errors("id: x\ntitle: [unclosed\n")).singleElement().satisfies(e -> assertThat(e).startsWith("bad.yaml:").contains("YAML syntax"));
        assertThat(errors("id: x\nid: y\n")).singleElement().satisfies(e -> assertThat(e).startsWith("bad.yaml:2:1: error: duplicate key 'id'"));
        assertThat(errors("- just a list\n")).singleElement().satisfies(e -> assertThat(e).contains("must be a YAML mapping"));
    }

    @Test
    void refusesAPackWithDuplicateIdsAndSkipsNonPatternDirectories(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.yaml"), SEQUENCE);
        Files.writeString(dir.resolve("b.yaml"), SEQUENCE);
        Files.createDirectories(dir.resolve("lists"));
        Files.writeString(dir.resolve("lists/system-users.yaml"), "name: system-users\nitems: [a, b]\n");
        PatternLoader.Result r = PatternLoader.load(dir);
        assertThat(r.hasErrors()).isTrue();
        assertThat(r.problems).singleElement().satisfies(p -> assertThat(p.toString())
                .contains("b.yaml:1:5: error: pattern id 'role-then-bind' is already used by"));
        assertThatThrownBy(r::orThrow).isInstanceOf(PatternLoadException.class).hasMessageContaining("already used");
    }

    @Test
    void declaredAuditLevelMustCoverTheFieldsRead() {
        assertThat(errors(SEQUENCE.replace("title: Role then binding", "title: t\nrequires: {auditLevel: Metadata}")))
                .anySatisfy(e -> assertThat(e).contains("exist only at level Request or above"));
    }

    @Test
    void definitionsSurviveJavaSerialization() throws Exception {
        PatternDefinition def = PatternLoader.loadText("p.yaml", SEQUENCE).patterns.get(0);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(def);
        }
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            PatternDefinition copy = (PatternDefinition) in.readObject();
            assertThat(copy.steps.get(1).where.describe()).isEqualTo(def.steps.get(1).where.describe());
            assertThat(copy.keyFor(1).get(0).path.firstText(ConditionTest.parse(
                    "{\"auditID\":\"a\",\"verb\":\"get\",\"stage\":\"ResponseComplete\",\"stageTimestamp\":\"2026-01-01T00:00:00Z\","
                            + "\"user\":{\"username\":\"zed\"}}"))).isEqualTo("zed");
        }
    }

    @Test
    void rejectsStepShapesFlinkCannotRun() {
        String base = "id: s\ntitle: t\nseverity: low\nkey: [principal]\nwithin: 10m\nsteps:\n";
        assertThat(errors(base + "  - {name: a, absent: true, where: {verb: get}}\n  - {name: b, where: {verb: list}}\n"))
                .anySatisfy(e -> assertThat(e).contains("cannot start with an absent step"));
        assertThat(errors(base + "  - {name: a, where: {verb: get}}\n  - {name: b, optional: true, where: {verb: list}}\n  - {name: c, absent: true, where: {verb: delete}}\n"))
                .anySatisfy(e -> assertThat(e).contains("cannot follow an optional step"));
        assertThat(errors(base + "  - {name: a, where: {verb: get}}\n  - {name: b, atLeast: 2, where: {verb: list}}\n"))
                .anySatisfy(e -> assertThat(e).contains("atLeast needs an upper bound atMost"));
        assertThat(errors(base + "  - {name: a, where: {verb: get}}\n  - {name: b, times: 1000, where: {verb: list}}\n"))
                .anySatisfy(e -> assertThat(e).contains("exceed the limit of 100"));
        assertThat(errors(base + "  - {name: a, where: {verb: get}}\n  - {name: b, maxGap: 1h, where: {verb: list}}\n"))
                .anySatisfy(e -> assertThat(e).contains("is longer than the window"));
        assertThat(errors(base + "  - {name: a, where: {verb: get}}\n  - {name: b, join: {objectName: c.objectName}, where: {verb: list}}\n"))
                .anySatisfy(e -> assertThat(e).contains("no earlier step named 'c'"));
        assertThat(errors(base + "  - {name: a, where: {verb: get}}\n  - {name: b, then: sometimes, where: {verb: list}}\n"))
                .anySatisfy(e -> assertThat(e).contains("then is relaxed"));
        assertThat(errors(base.replace("within: 10m\n", "") + "  - {name: a, times: 3, where: {verb: get}}\n"))
                .anySatisfy(e -> assertThat(e).contains("needs 'within'"));
        assertThat(errors(base + "  - {name: a, where: {verb: get}}\n  - {name: b, where: {verb: list}}\nafterMatch: sometimes\n"))
                .anySatisfy(e -> assertThat(e).contains("afterMatch is skip-past-last-event"));
        PatternLoader.Result any = PatternLoader.loadText("p.yaml", base + "  - {name: a, where: {verb: get}}\n  - {name: b, then: any, where: {verb: list}}\n");
        assertThat(any.hasErrors()).isFalse();
        assertThat(any.problems).anySatisfy(p -> assertThat(p.toString()).contains("warning: 'then: any'"));
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void listsMacrosOverridesAndExceptionsTuneAPatternWithoutEditingIt(@TempDir Path dir) throws Exception {
        write(dir.resolve("lists/admins.yaml"), "name: admins\nitems: [root, ops]\n");
        write(dir.resolve("lists/tools.yaml"), "name: tools\nitems: [kubectl/, curl/]\n");
        write(dir.resolve("macros/admin.yaml"), "name: admin\nwhere: {principal: $admins}\n");
        write(dir.resolve("macros/admin-tool.yaml"), "name: admin-tool\nwhere: {macro: admin, userAgent: {prefix: $tools}}\n");
        write(dir.resolve("p.yaml"), String.join("\n", "id: p", "title: t", "severity: low",
                "where: {verb: delete, macro: admin-tool}",
                "exceptions:", "  - {name: the cleanup job, where: {objectRef.namespace: scratch}}", ""));
        write(dir.resolve("overrides/site.yaml"), String.join("\n", "lists:", "  admins: {append: [alice]}",
                "patterns:", "  p:", "    severity: critical", "    exceptions:", "      - {name: sandbox, where: {objectRef.namespace: sandbox}}", ""));
        Path extra = Files.createTempDirectory("site-overrides").resolve("more.yaml");
        write(extra, "lists:\n  tools: {replace: [kubectl/]}\n");

        PatternLoader.Result r = PatternLoader.load(dir, List.of(extra));
        assertThat(r.problems).isEmpty();
        PatternDefinition p = r.patterns.get(0);
        assertThat(p.severity).isEqualTo(Severity.CRITICAL);
        Condition c = p.steps.get(0).where;
        String event = "{\"auditID\":\"a\",\"verb\":\"delete\",\"stage\":\"ResponseComplete\",\"stageTimestamp\":\"2026-01-01T00:00:00Z\","
                + "\"user\":{\"username\":\"%s\"},\"userAgent\":\"%s\",\"objectRef\":{\"resource\":\"pods\",\"namespace\":\"%s\"}}";
        assertThat(c.test(ConditionTest.parse(String.format(event, "alice", "kubectl/v1", "prod")))).as("appended to the list").isTrue();
        assertThat(c.test(ConditionTest.parse(String.format(event, "root", "curl/8", "prod")))).as("list replaced by the extra override").isFalse();
        assertThat(c.test(ConditionTest.parse(String.format(event, "bob", "kubectl/v1", "prod")))).isFalse();
        assertThat(c.test(ConditionTest.parse(String.format(event, "ops", "kubectl/v1", "scratch")))).as("pattern exception").isFalse();
        assertThat(c.test(ConditionTest.parse(String.format(event, "ops", "kubectl/v1", "sandbox")))).as("site exception").isFalse();
        assertThat(c.describe()).contains("macro admin-tool");

        write(dir.resolve("overrides/off.yaml"), "patterns:\n  p: {enabled: false}\n");
        assertThat(PatternLoader.load(dir).patterns).as("disabled by a site").isEmpty();
    }

    @Test
    void libraryMistakesAreReportedWhereTheyAre(@TempDir Path dir) throws Exception {
        write(dir.resolve("lists/admins.yaml"), "name: admins\nitems: [root]\n");
        write(dir.resolve("macros/a.yaml"), "name: a\nwhere: {macro: b}\n");
        write(dir.resolve("macros/b.yaml"), "name: b\nwhere: {macro: a}\n");
        write(dir.resolve("p.yaml"), "id: p\ntitle: t\nseverity: low\nwhere: {principal: $admin, macro: nosuch}\n");
        write(dir.resolve("overrides/site.yaml"), "patterns:\n  q: {enabled: false}\n  p:\n    exceptions: [{name: x, step: nope, where: {verb: get}}]\n");
        List<String> errors = PatternLoader.load(dir).problems.stream().filter(PatternProblem::isError)
                .map(PatternProblem::toString).collect(Collectors.toList());
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("p.yaml:4:").contains("no list named 'admin'; did you mean 'admins'?"));
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("no macro named 'nosuch'"));
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("macros/").contains("macro cycle: a -> b -> a"));
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("overrides/site.yaml").contains("override for unknown pattern 'q'"));
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("overrides/site.yaml").contains("no step named 'nope'"));
    }

    @Test
    void boundsAreConfigurable(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("p.yaml"), SEQUENCE.replace("within: 10m", "within: 2h"));
        assertThat(PatternLoader.load(dir, List.of()).hasErrors()).isFalse();
        Limits strict = new Limits(Duration.ofHours(1), 5, 50, 100);
        assertThat(PatternLoader.load(dir, List.of(), strict).problems).anySatisfy(p ->
                assertThat(p.toString()).contains("within 2h exceeds the maximum of 1h"));
    }
}
