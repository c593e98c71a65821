package io.chainwatch.pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The editor-completion schema accepts every shipped pattern and example, and catches a typo. */
class PatternSchemaTest {

    static final Path PATTERNS = Paths.get(System.getProperty("chainwatch.root", "..")).resolve("cep-patterns");

    static JsonSchema schema() throws Exception {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
                .getSchema(Files.readString(PATTERNS.resolve("schema/pattern.schema.json")));
    }

    @Test
    void everyShippedPatternAndExampleConforms() throws Exception {
        JsonSchema schema = schema();
        List<Path> files = new ArrayList<>();
        for (Path dir : List.of(PATTERNS, PATTERNS.resolve("examples"))) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.toString().endsWith(".yaml")).forEach(files::add);
            }
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(15);
        for (Path f : files) {
            JsonNode doc = LocatedYaml.parse(Files.readString(f)).root();
            assertThat(schema.validate(doc).stream().map(Object::toString).collect(Collectors.toList())).as(f.toString()).isEmpty();
        }
    }

    @Test
    void aMisspeltKeyIsFlagged() throws Exception {
        JsonNode doc = LocatedYaml.parse("id: x\ntitle: t\nseverity: low\nwithn: 10m\nwhere: {verb: get}\n").root();
        assertThat(schema().validate(doc)).isNotEmpty();
    }
}
