package io.chainwatch.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.chainwatch.pattern.PatternDefinition;
import io.chainwatch.pattern.PatternLoader;
import io.chainwatch.pattern.PatternProblem;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class SigmaConverterTest {

    static final Path FIXTURES = fixtures();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static Path fixtures() {
        try {
            return Paths.get(SigmaConverterTest.class.getResource("/sigma").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<SigmaConverter.Result> convert(String file) throws Exception {
        return SigmaConverter.convert(SigmaRule.read(FIXTURES.resolve(file)));
    }

    static SigmaConverter.Result one(String file) throws Exception {
        return convert(file).get(0);
    }

    static SigmaConverter.Result inline(String... lines) throws Exception {
        String yaml = String.join("\n", "title: Inline Rule", "id: 22222222-bbbb-4bbb-8bbb-000000000001",
                "logsource: {product: kubernetes, service: audit}", String.join("\n", lines), "level: low", "");
        return SigmaConverter.convert(SigmaRule.parse("inline.yml", yaml)).get(0);
    }

    /** The written YAML read back: what a user gets, not the in-memory tree. */
    static JsonNode written(SigmaConverter.Result r) throws Exception {
        assertThat(r.status).as(r.reason).isEqualTo(SigmaConverter.Result.Status.CONVERTED);
        return YAML.readTree(r.yaml);
    }

    static PatternDefinition loads(SigmaConverter.Result r) {
        PatternLoader.Result loaded = PatternLoader.loadText(r.patternId + ".yaml", r.yaml);
        assertThat(loaded.problems.stream().filter(PatternProblem::isError).map(Object::toString).collect(Collectors.toList()))
                .as(r.yaml).isEmpty();
        return loaded.patterns.get(0);
    }

    static List<String> keys(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    // --- metadata

    @Test
    void metadataIsMappedInTheShippedKeyOrder() throws Exception {
        SigmaConverter.Result r = one("string_modifiers.yml");
        JsonNode p = written(r);
        assertThat(keys(p)).containsExactly("id", "title", "description", "severity", "status", "tactics", "techniques",
                "references", "falsePositives", "author", "equivalents", "where", "tests");
        assertThat(p.get("id").asText()).isEqualTo("sigma-secrets-read-by-scripted-client").isEqualTo(r.patternId);
        assertThat(p.get("title").asText()).isEqualTo("Secrets Read By Scripted Client");
        assertThat(p.get("severity").asText()).isEqualTo("high");
        assertThat(p.get("status").asText()).isEqualTo("experimental");
        assertThat(p.get("tactics")).extracting(JsonNode::asText).containsExactly("credential-access");
        assertThat(p.get("techniques")).as("group and CVE tags are dropped").extracting(JsonNode::asText).containsExactly("T1552.007");
        assertThat(p.get("references")).extracting(JsonNode::asText).containsExactly("https://example.com/chainwatch/sigma-fixtures");
        assertThat(p.get("falsePositives")).extracting(JsonNode::asText).containsExactly("Backup jobs that use curl");
        assertThat(p.get("author").asText()).isEqualTo("chainwatch tests");
        assertThat(p.at("/equivalents/sigma/0").asText()).isEqualTo("11111111-aaaa-4aaa-8aaa-000000000001");
        assertThat(r.yaml).startsWith("# Converted from Sigma rule 11111111-aaaa-4aaa-8aaa-000000000001 (string_modifiers.yml)");
        assertThat(r.form).isEqualTo("single-event");
        loads(r);
    }

    @Test
    void statusAndLevelAreTranslated() throws Exception {
        assertThat(written(one("cidr_numeric_cased.yml")).get("status").asText()).isEqualTo("stable");
        assertThat(written(one("cidr_numeric_cased.yml")).get("severity").asText()).isEqualTo("critical");
        assertThat(written(one("regex_modifiers.yml")).get("status").asText()).as("test").isEqualTo("experimental");
        assertThat(written(one("all_exists_wildcards.yml")).get("status").asText()).isEqualTo("deprecated");
        assertThat(written(one("all_exists_wildcards.yml")).get("severity").asText()).as("informational").isEqualTo("info");
        JsonNode grammar = written(one("condition_grammar.yml"));
        assertThat(grammar.get("status").asText()).as("unsupported").isEqualTo("experimental");
        assertThat(grammar.get("tactics")).as("old underscore tactic names").extracting(JsonNode::asText)
                .containsExactly("persistence", "defense-evasion");
        assertThat(SigmaConverter.status("test")).isEqualTo("experimental");
        assertThat(SigmaConverter.status("experimental")).isEqualTo("experimental");
    }

    @Test
    void idsAreSlugsOfTheTitleAndStayUnique() throws Exception {
        assertThat(SigmaConverter.slug("Kubernetes CronJob/Job Modification")).isEqualTo("kubernetes-cronjob-job-modification");
        assertThat(SigmaConverter.slug("  Ünïcode & Symbols!! ")).isEqualTo("unicode-symbols");
        assertThat(SigmaConverter.slug("a".repeat(30) + " " + "b".repeat(30) + " " + "c".repeat(30))).hasSizeLessThanOrEqualTo(64)
                .doesNotEndWith("-").matches("[a-z0-9-]+");
        String twice = String.join("\n",
                "title: Same Title", "id: 33333333-cccc-4ccc-8ccc-000000000001",
                "logsource: {product: kubernetes, service: audit}",
                "detection: {selection: {verb: delete}, condition: selection}",
                "---",
                "title: Same Title", "id: 44444444-dddd-4ddd-8ddd-000000000002",
                "logsource: {product: kubernetes, service: audit}",
                "detection: {selection: {verb: create}, condition: selection}", "");
        List<SigmaConverter.Result> rs = SigmaConverter.convert(SigmaRule.parse("twice.yml", twice));
        assertThat(rs).extracting(x -> x.patternId).containsExactly("sigma-same-title", "sigma-same-title-44444444");
    }

    // --- string modifiers and values

    @Test
    void containsStartswithEndswithAndValueLists() throws Exception {
        JsonNode w = written(one("string_modifiers.yml")).get("where");
        assertThat(w.get("verb")).as("a list of values is 'equals any'").extracting(JsonNode::asText).containsExactly("get", "list");
        assertThat(w.get("objectRef.resource").asText()).isEqualTo("secrets");
        assertThat(w.at("/userAgent/contains")).extracting(JsonNode::asText).containsExactly("Python-Requests", "curl/");
        assertThat(w.at("/userAgent/ignoreCase").asBoolean()).as("Sigma matches case-insensitively").isTrue();
        assertThat(w.at("/requestURI/prefix").asText()).isEqualTo("/api/v1/namespaces/");
        assertThat(w.at("/user.username/suffix").asText()).isEqualTo("@contractor.example");
    }

    @Test
    void regexesKeepTheirFlagsAndRe2IsEnforced() throws Exception {
        JsonNode w = written(one("regex_modifiers.yml")).get("where");
        assertThat(w.at("/user.username/regex").asText()).isEqualTo("^(admin|root)[0-9]+@");
        assertThat(w.at("/requestURI/regex").asText()).isEqualTo("(?i)/API/V1/NODES/[a-z0-9.-]+/PROXY");
        assertThat(inline("detection: {selection: {'requestURI|re|i|m': '^/api$'}, condition: selection}").pattern
                .at("/where/requestURI/regex").asText()).isEqualTo("(?im)^/api$");
        List<SigmaConverter.Result> bad = convert("unconvertible.yml");
        assertThat(bad.get(2).reason).contains("lookahead").contains("RE2");
        assertThat(bad.get(6).reason).contains("backreference (\\1)");
        assertThat(inline("detection: {selection: {'user.username|re': '(?<=x)admin'}, condition: selection}").reason).contains("lookbehind");
        assertThat(inline("detection: {selection: {'user.username|re': '(a++)'}, condition: selection}").reason).contains("possessive");
        assertThat(inline("detection: {selection: {'user.username|re': '(unclosed'}, condition: selection}").reason).contains("not valid RE2");
    }

    @Test
    void cidrNumericComparisonsCasedAndNot() throws Exception {
        JsonNode w = written(one("cidr_numeric_cased.yml")).get("where");
        assertThat(w.at("/responseStatus.code/gte").asInt()).isEqualTo(200);
        assertThat(w.at("/all/0/responseStatus.code/lt").asInt()).as("a second operator on the same field goes to all").isEqualTo(300);
        assertThat(w.get("user.username").asText()).as("|cased: exact match").isEqualTo("system:serviceaccount:ci:Deployer");
        assertThat(w.at("/not/sourceIPs/cidr")).extracting(JsonNode::asText).containsExactly("10.0.0.0/8", "fd00::/8");
    }

    @Test
    void allExistsNullAndWildcards() throws Exception {
        JsonNode w = written(one("all_exists_wildcards.yml")).get("where");
        assertThat(w.at("/objectRef.subresource/exists").asBoolean()).isFalse();
        assertThat(w.at("/requestObject.spec.hostPID/exists").asBoolean()).isTrue();
        assertThat(w.at("/objectRef.name/exists").asBoolean()).as("null: the field is absent").isFalse();
        assertThat(w.at("/responseStatus.code/lte").asInt()).isEqualTo(299);
        // '*xmrig*' is contains, a wildcard inside the value needs a regex: two alternatives of the same field.
        JsonNode images = w.get("any");
        assertThat(images).hasSize(2);
        assertThat(images.at("/0/requestObject.spec.containers[*].image/contains").asText()).isEqualTo("xmrig");
        assertThat(images.at("/1/requestObject.spec.containers[*].image/regex").asText()).isEqualTo("(?i)^docker\\.io/.*/miner-.$");
        // |contains|all: one condition per value, all of which must hold.
        List<String> args = new ArrayList<>();
        args.add(w.at("/requestObject.spec.containers[*].args/contains").asText());
        w.get("all").forEach(x -> {
            if (x.has("requestObject.spec.containers[*].args")) {
                args.add(x.at("/requestObject.spec.containers[*].args/contains").asText());
            }
        });
        assertThat(args).containsExactly("stratum+tcp://", "--user=");
        assertThat(written(one("all_exists_wildcards.yml")).at("/requires/auditLevel").asText()).isEqualTo("Request");
    }

    @Test
    void wildcardsAndEscapesInPlainValues() throws Exception {
        JsonNode w = inline("detection:", "  selection:", "    userAgent: 'kubectl/*'", "    requestURI: '*/exec?command=*'",
                "    user.username: '*@evil.example'", "    objectRef.name: 'literal\\*star'", "    sourceIPs: '*'",
                "  condition: selection").pattern.get("where");
        assertThat(w.at("/userAgent/prefix").asText()).isEqualTo("kubectl/");
        assertThat(w.at("/requestURI/regex").asText()).as("'?' is a wildcard too").isEqualTo("(?i)/exec.command=");
        assertThat(w.at("/user.username/suffix").asText()).isEqualTo("@evil.example");
        assertThat(w.at("/objectRef.name/equals").asText()).as("escaped star is literal").isEqualTo("literal*star");
        assertThat(w.at("/sourceIPs/exists").asBoolean()).as("a lone * means any value").isTrue();
    }

    @Test
    void kubernetesLowerCaseFieldsAreMatchedExactlyOnTheLowerCasedValue() throws Exception {
        JsonNode w = inline("detection: {selection: {verb: CREATE, objectRef.resource: [Pods, secrets], 'objectRef.namespace|startswith': Kube-},"
                + " condition: selection}").pattern.get("where");
        assertThat(w.get("verb").asText()).isEqualTo("create");
        assertThat(w.get("objectRef.resource")).extracting(JsonNode::asText).containsExactly("pods", "secrets");
        assertThat(w.at("/objectRef.namespace/prefix").asText()).isEqualTo("kube-");
        assertThat(w.at("/objectRef.namespace/ignoreCase").isMissingNode()).isTrue();
    }

    @Test
    void neqAndNullInsideAList() throws Exception {
        JsonNode w = inline("detection: {selection: {'user.username|neq': admin, userAgent: [null, curl]}, condition: selection}")
                .pattern.get("where");
        assertThat(w.at("/not/user.username/equals").asText()).isEqualTo("admin");
        assertThat(w.at("/any/0/userAgent/exists").asBoolean()).isFalse();
        assertThat(w.at("/any/1/userAgent/equals").asText()).isEqualTo("curl");
    }

    @Test
    void abstractSigmaFieldsMapToRequestObjectPaths() throws Exception {
        JsonNode hostPath = inline("detection: {selection: {verb: create, hostPath: '/etc*'}, condition: selection}").pattern.get("where");
        assertThat(hostPath.at("/requestObject.spec.volumes[*].hostPath.path/prefix").asText()).isEqualTo("/etc");
        JsonNode caps = inline("detection: {selection: {capabilities: SYS_ADMIN}, condition: selection}").pattern.get("where");
        assertThat(keys(caps.get("any").get(0))).containsExactly("requestObject.spec.containers[*].securityContext.capabilities.add");
        assertThat(caps.get("any")).hasSize(3);
        JsonNode apiGroup = inline("detection: {selection: {apiGroup: apps}, condition: selection}").pattern.get("where");
        assertThat(apiGroup.get("objectRef.apiGroup").asText()).isEqualTo("apps");
        JsonNode absent = inline("detection: {selection: {'capabilities|exists': false}, condition: selection}").pattern.get("where");
        assertThat(keys(absent)).as("absent from every container list").containsExactly(
                "requestObject.spec.containers[*].securityContext.capabilities.add",
                "requestObject.spec.initContainers[*].securityContext.capabilities.add",
                "requestObject.spec.ephemeralContainers[*].securityContext.capabilities.add");
    }

    // --- the condition grammar

    @Test
    void conditionExpressionsBecomeGroups() throws Exception {
        JsonNode w = written(one("condition_grammar.yml")).get("where");
        assertThat(keys(w)).containsExactly("any", "annotations.authorization.k8s.io/decision", "objectRef.namespace", "none");
        assertThat(w.get("any")).hasSize(2);
        assertThat(w.at("/any/0/verb")).extracting(JsonNode::asText).containsExactly("patch", "update");
        assertThat(w.at("/any/1/objectRef.apiGroup").asText()).isEqualTo("apps");
        assertThat(w.get("none")).as("not 1 of filter_*").hasSize(2);
        assertThat(w.at("/none/0/user.username/prefix").asText()).isEqualTo("system:serviceaccount:kube-system:");
        assertThat(w.at("/none/1/user.username/equals").asText()).isEqualTo("system:serviceaccount:argocd:argocd-application-controller");
    }

    @Test
    void aListOfMapsIsAnyOfThem() throws Exception {
        JsonNode w = written(one("list_of_maps.yml")).get("where");
        assertThat(w.get("verb").asText()).isEqualTo("create");
        JsonNode any = w.get("any");
        assertThat(any).hasSize(3);
        assertThat(any.at("/0/requestObject.spec.hostNetwork").asBoolean()).isTrue();
        assertThat(keys(any.get(2))).containsExactly("requestObject.spec.volumes[*].hostPath.path", "requestObject.spec.volumes[*].hostPath.type");
    }

    @Test
    void oneOfThemSkipsUnderscoreIdentifiers() throws Exception {
        JsonNode w = written(one("one_of_them.yml")).get("where");
        assertThat(w.get("any")).hasSize(2);
        assertThat(w.at("/any/1/impersonatedUser.username/exists").asBoolean()).isTrue();
    }

    @Test
    void notOfAnAndAndDoubleNegation() throws Exception {
        JsonNode w = inline("detection: {a: {verb: get}, b: {objectRef.resource: pods, verb: list}, condition: not b and not not a}")
                .pattern.get("where");
        assertThat(w.at("/not/objectRef.resource").asText()).isEqualTo("pods");
        assertThat(w.get("verb").asText()).isEqualTo("get");
    }

    // --- correlations

    @Test
    void temporalOrderedBecomesASequence() throws Exception {
        List<SigmaConverter.Result> rs = convert("correlation_temporal_ordered.yml");
        SigmaConverter.Result r = rs.get(0);
        assertThat(r.form).isEqualTo("sequence");
        JsonNode p = written(r);
        assertThat(keys(p)).containsExactly("id", "title", "description", "severity", "status", "tactics", "techniques",
                "author", "equivalents", "requires", "key", "within", "steps", "tests");
        assertThat(p.at("/key/user").asText()).isEqualTo("user.username");
        assertThat(p.get("within").asText()).isEqualTo("15m");
        assertThat(p.get("steps")).extracting(s -> s.get("name").asText()).containsExactly("cluster_role_created", "cluster_role_bound");
        assertThat(p.at("/steps/1/where/objectRef.resource").asText()).isEqualTo("clusterrolebindings");
        PatternDefinition def = loads(r);
        assertThat(def.isSequence()).isTrue();
        assertThat(def.steps).hasSize(2);
        assertThat(p.get("tests")).extracting(t -> t.at("/expect/alerts").asInt()).containsExactly(1, 0);
        assertThat(rs.subList(1, 3)).allSatisfy(b -> {
            assertThat(b.status).isEqualTo(SigmaConverter.Result.Status.SKIPPED);
            assertThat(b.reason).contains("generate: false");
        });
    }

    @Test
    void aliasesBecomePerStepKeys() throws Exception {
        SigmaConverter.Result r = one("correlation_aliases.yml");
        JsonNode p = written(r);
        assertThat(p.at("/key/pod").asText()).isEqualTo("objectRef.name");
        assertThat(p.at("/steps/0/key").isMissingNode()).isTrue();
        assertThat(p.at("/steps/1/key/pod").asText()).isEqualTo("user.extra.authentication.kubernetes.io/pod-name");
        assertThat(p.get("techniques")).as("tags of the referenced rules").extracting(JsonNode::asText).containsExactly("T1609");
        assertThat(p.get("severity").asText()).isEqualTo("critical");
        PatternDefinition def = loads(r);
        assertThat(def.keyFor(1)).extracting(k -> k.path.toString()).containsExactly("user.extra.authentication.kubernetes.io/pod-name");
        assertThat(r.testsOmitted).isNull();
    }

    @Test
    void eventCountBecomesTheAggregateForm() throws Exception {
        List<SigmaConverter.Result> rs = convert("correlation_event_count.yml");
        SigmaConverter.Result r = rs.get(0);
        assertThat(r.form).isEqualTo("aggregate");
        JsonNode p = written(r);
        assertThat(keys(p)).containsSubsequence("equivalents", "key", "aggregate", "tests");
        assertThat(p.at("/key/user").asText()).isEqualTo("user.username");
        JsonNode agg = p.get("aggregate");
        assertThat(keys(agg)).containsExactly("where", "window", "count");
        assertThat(agg.at("/where/responseStatus.code").asInt()).isEqualTo(403);
        assertThat(agg.get("window").asText()).isEqualTo("5m");
        assertThat(agg.at("/count/gte").asInt()).isEqualTo(5);
        assertThat(p.at("/tests/0/events")).hasSize(5);
        assertThat(p.at("/tests/0/expect/alerts").asInt()).isEqualTo(1);
        assertThat(p.at("/tests/1/events")).hasSize(4);
        assertThat(p.at("/tests/1/expect/alerts").asInt()).isEqualTo(0);
        assertThat(p.at("/tests/0/events/4/at").asText()).isEqualTo("4s");
        assertThat(p.at("/tests/0/events/4/user/username").asText()).isEqualTo(p.at("/tests/0/events/0/user/username").asText());
        assertThat(rs.get(1).status).isEqualTo(SigmaConverter.Result.Status.SKIPPED);
    }

    @Test
    void valueCountBecomesDistinctAndGenerateTrueAlsoConvertsTheRule() throws Exception {
        List<SigmaConverter.Result> rs = convert("correlation_value_count.yml");
        JsonNode agg = written(rs.get(0)).get("aggregate");
        assertThat(agg.at("/distinct/field").asText()).isEqualTo("objectRef.namespace");
        assertThat(agg.at("/distinct/gte").asInt()).isEqualTo(3);
        assertThat(agg.get("window").asText()).isEqualTo("10m");
        JsonNode tests = written(rs.get(0)).get("tests");
        List<String> firing = new ArrayList<>();
        tests.at("/0/events").forEach(e -> firing.add(e.at("/objectRef/namespace").asText()));
        assertThat(firing).doesNotHaveDuplicates().hasSize(3);
        List<String> quiet = new ArrayList<>();
        tests.at("/1/events").forEach(e -> quiet.add(e.at("/objectRef/namespace").asText()));
        assertThat(quiet).hasSize(3).containsOnly(firing.get(0), firing.get(1));
        assertThat(rs.get(1).status).as("generate: true").isEqualTo(SigmaConverter.Result.Status.CONVERTED);
        assertThat(rs.get(1).form).isEqualTo("single-event");
        loads(rs.get(1));
    }

    @Test
    void unorderedTemporalIsNotConverted() throws Exception {
        SigmaConverter.Result r = one("correlation_temporal.yml");
        assertThat(r.status).isEqualTo(SigmaConverter.Result.Status.NOT_CONVERTED);
        assertThat(r.reason).contains("'temporal'").contains("ordered").contains("permutation");
    }

    @Test
    void correlationProblemsAreReported() throws Exception {
        String base = String.join("\n", "---", "title: Base", "id: 55555555-eeee-4eee-8eee-000000000001", "name: base",
                "logsource: {product: kubernetes, service: audit}", "detection: {selection: {verb: get}, condition: selection}", "");
        String corr = "title: Corr\nid: 55555555-eeee-4eee-8eee-000000000000\n";
        assertThat(SigmaConverter.convert(SigmaRule.parse("c.yml", corr
                + "correlation: {type: temporal_ordered, rules: [base, missing], group-by: [user.username], timespan: 5m}\n" + base))
                .get(0).reason).contains("'missing', which is not among the input rules");
        assertThat(SigmaConverter.convert(SigmaRule.parse("c.yml", corr
                + "correlation: {type: temporal_ordered, rules: [base, base], timespan: 5m}\n" + base))
                .get(0).reason).contains("without group-by");
        assertThat(SigmaConverter.convert(SigmaRule.parse("c.yml", corr
                + "correlation: {type: temporal_ordered, rules: [base, base], group-by: [user.username], timespan: 5m, condition: {gte: 1}}\n" + base))
                .get(0).reason).contains("counts fewer than all 2 rules");
        assertThat(SigmaConverter.convert(SigmaRule.parse("c.yml", corr
                + "correlation: {type: temporal_ordered, rules: [base, base], group-by: [user.username], timespan: 8d}\n" + base))
                .get(0).reason).contains("exceeds");
        assertThat(SigmaConverter.convert(SigmaRule.parse("c.yml", corr
                + "correlation: {type: value_sum, rules: [base], group-by: [user.username], timespan: 5m}\n" + base))
                .get(0).reason).contains("'value_sum' is not supported");
        assertThat(SigmaConverter.convert(SigmaRule.parse("c.yml", corr
                + "correlation: {type: value_count, rules: [base], group-by: [user.username], timespan: 5m, condition: {gte: 3}}\n" + base))
                .get(0).reason).contains("condition.field");
        SigmaConverter.Result twice = SigmaConverter.convert(SigmaRule.parse("c.yml", corr
                + "correlation: {type: temporal_ordered, rules: [base, base], group-by: [user.username], timespan: 2w}\n" + base)).get(0);
        assertThat(twice.reason).as("2w is 14 days").contains("14d");
        SigmaConverter.Result same = SigmaConverter.convert(SigmaRule.parse("c.yml", corr
                + "correlation: {type: temporal_ordered, rules: [base, base], group-by: [user.username], timespan: 1h}\n" + base)).get(0);
        assertThat(written(same).get("steps")).extracting(s -> s.get("name").asText()).containsExactly("base", "base_2");
        loads(same);
        SigmaConverter.Result lt = SigmaConverter.convert(SigmaRule.parse("c.yml", corr
                + "correlation: {type: event_count, rules: [base], group-by: [user.username], timespan: 1h, condition: {lt: 3}}\n" + base)).get(0);
        assertThat(lt.status).isEqualTo(SigmaConverter.Result.Status.CONVERTED);
        assertThat(lt.testsOmitted).contains("below a threshold");
        assertThat(lt.pattern.has("tests")).isFalse();
    }

    // --- what cannot be converted

    @Test
    void unconvertibleConstructsSayWhy() throws Exception {
        List<SigmaConverter.Result> rs = convert("unconvertible.yml");
        assertThat(rs).allSatisfy(r -> assertThat(r.status).isEqualTo(SigmaConverter.Result.Status.NOT_CONVERTED));
        assertThat(rs.get(0).reason).isEqualTo("condition uses '|base64offset' modifier, which chainwatch cannot express");
        assertThat(rs.get(1).reason).contains("keyword search");
        assertThat(rs.get(3).reason).isEqualTo("logsource is not kubernetes/audit (product: windows, category: process_creation)");
        assertThat(rs.get(4).reason).startsWith("field 'seccompProfile' has no chainwatch equivalent");
        assertThat(rs.get(5).reason).contains("Sigma v1 aggregation");
        assertThat(inline("detection: {selection: {'requestURI|windash': x}, condition: selection}").reason).contains("'|windash'");
        assertThat(inline("detection: {selection: {'requestURI|expand': '%admins%'}, condition: selection}").reason).contains("placeholders");
        assertThat(inline("detection: {selection: {'user.username|fieldref': objectRef.name}, condition: selection}").reason).contains("'|fieldref'");
        assertThat(inline("detection: {selection: {'requestURI|frobnicate': x}, condition: selection}").reason).contains("unknown modifier '|frobnicate'");
        assertThat(inline("detection: {selection: {'|contains': [mimikatz]}, condition: selection}").reason).contains("keyword search");
        assertThat(inline("detection: {selection: {'userAgent|gt': 5}, condition: selection}").reason).contains("text field 'userAgent'");
        assertThat(inline("detection: {selection: {'verb|exists': maybe}, condition: selection}").reason).contains("true or false");
        assertThat(inline("detection: {selection: {responseStatus.code: ALLOW}, condition: selection}").reason)
                .contains("numeric").contains("can never match");
        assertThat(inline("detection: {selection: {verb: get}, condition: selection and filter}").reason).contains("'filter'");
        assertThat(inline("detection: {selection: {verb: get}, condition: 1 of filter_*}").reason).contains("matches no search identifier");
        assertThat(inline("detection: {selection: {'requestReceivedTimestamp|hour': 3}, condition: selection}").reason).contains("time-part");
        assertThat(SigmaConverter.convert(SigmaRule.parse("x.yml", "title: Not A Rule\nfoo: bar\n")).get(0).reason).contains("not a Sigma rule");
    }

    @Test
    void everyConvertedFixtureLoadsAndHasAFiringAndAQuietTest() throws Exception {
        List<SigmaRule> all = new ArrayList<>();
        for (Path f : SigmaRule.files(FIXTURES)) {
            all.addAll(SigmaRule.read(f));
        }
        List<SigmaConverter.Result> rs = SigmaConverter.convert(all);
        assertThat(rs.stream().filter(SigmaConverter.Result::converted).count()).isGreaterThanOrEqualTo(12);
        for (SigmaConverter.Result r : rs) {
            if (!r.converted()) {
                continue;
            }
            assertThat(r.testsOmitted).as(r.patternId).isNull();
            JsonNode tests = written(r).get("tests");
            assertThat(tests).as(r.patternId).anySatisfy(t -> assertThat(t.at("/expect/alerts").asInt()).isPositive());
            assertThat(tests).as(r.patternId).anySatisfy(t -> assertThat(t.at("/expect/alerts").asInt()).isZero());
            assertThat(r.summary).isNotBlank();
            if (!r.form.equals("aggregate")) {
                loads(r);
            } else {
                // The loader does not know 'aggregate' yet: everything around it must load as a single-event pattern.
                com.fasterxml.jackson.databind.node.ObjectNode tree = (com.fasterxml.jackson.databind.node.ObjectNode) written(r);
                JsonNode agg = tree.remove("aggregate");
                assertThat(keys(agg)).startsWith("where", "window").hasSize(3);
                tree.set("where", agg.get("where"));
                PatternLoader.Result loaded = PatternLoader.loadText("x.yaml", YAML.writeValueAsString(tree));
                assertThat(loaded.problems.stream().filter(PatternProblem::isError).map(Object::toString)
                        .collect(Collectors.toList())).as(r.yaml).isEmpty();
            }
        }
        assertThat(rs.stream().map(r -> r.patternId).filter(x -> x != null).distinct().count())
                .isEqualTo(rs.stream().filter(SigmaConverter.Result::converted).count());
    }

    @Test
    void testsAreOmittedWithAReasonWhenNoEventCanBeBuilt() throws Exception {
        SigmaConverter.Result r = inline("detection: {selection: {'user.username|re': '[^a-z]+x'}, condition: selection}");
        assertThat(r.status).isEqualTo(SigmaConverter.Result.Status.CONVERTED);
        assertThat(r.testsOmitted).contains("regular expression");
        assertThat(r.pattern.has("tests")).isFalse();
        loads(r);
    }
}
