package io.chainwatch.sigma;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.chainwatch.pattern.Condition;
import io.chainwatch.pattern.PatternLoader;
import io.chainwatch.pattern.PatternProblem;

import java.io.UncheckedIOException;
import java.util.stream.Collectors;

/** Writes pattern trees as YAML in the style of the shipped patterns, and compiles conditions with the real loader. */
final class SigmaYaml {

    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .build());

    private SigmaYaml() {}

    static String write(ObjectNode tree) {
        try {
            return YAML.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Compiles a where block with the pattern loader; refuses it with the loader's errors. */
    static Condition compile(ObjectNode where) throws SigmaConversionException {
        ObjectNode p = SigmaDetection.JSON.objectNode();
        p.put("id", "sigma-check");
        p.put("title", "check");
        p.put("severity", "low");
        p.set("where", where);
        PatternLoader.Result r = PatternLoader.loadText("sigma-check.yaml", write(p));
        if (r.hasErrors() || r.patterns.isEmpty()) {
            throw new SigmaConversionException("chainwatch rejects the converted condition: " + r.problems.stream()
                    .filter(PatternProblem::isError).map(x -> x.message).collect(Collectors.joining("; ")));
        }
        return r.patterns.get(0).steps.get(0).where;
    }
}
