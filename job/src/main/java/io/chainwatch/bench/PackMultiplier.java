package io.chainwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.chainwatch.FileTrees;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes a pack that is {@code copies} times the given one, for the benchmark's "how does cost grow with the
 * number of patterns" run: every pattern file k times under ids {@code <id>}, {@code <id>-x1} …, without its
 * tests; lists, macros, fixtures and the peer-rule catalogues as they are. The copies evaluate the same
 * predicates, so the router cannot share work between them: a pessimistic stand-in for a larger pack.
 */
public final class PackMultiplier {

    /** Folders of a pack that hold no patterns (the loader's own list). */
    private static final Set<String> LIBRARY_DIRS = Set.of("lists", "macros", "tests", "overrides", "schema", "coverage", "examples");

    private PackMultiplier() {}

    /** Returns the number of patterns written. */
    public static int write(Path pack, Path target, int copies) throws IOException {
        if (copies < 1) {
            throw new IllegalArgumentException("copies must be at least 1");
        }
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        FileTrees.deleteTree(target);
        Files.createDirectories(target);
        for (String dir : LIBRARY_DIRS) {
            if (!dir.equals("examples") && Files.isDirectory(pack.resolve(dir))) {
                copyTree(pack.resolve(dir), target.resolve(dir));
            }
        }
        int written = 0;
        for (Path f : patternFiles(pack)) {
            JsonNode doc = yaml.readTree(f.toFile());
            if (doc == null || !doc.isObject() || !doc.hasNonNull("id")) {
                continue;
            }
            String id = doc.get("id").asText();
            for (int k = 0; k < copies; k++) {
                ObjectNode copy = ((ObjectNode) doc).deepCopy();
                copy.remove("tests");
                String newId = k == 0 ? id : id + "-x" + k;
                copy.put("id", newId);
                yaml.writeValue(target.resolve(newId + ".yaml").toFile(), copy);
                written++;
            }
        }
        return written;
    }

    private static List<Path> patternFiles(Path pack) throws IOException {
        try (Stream<Path> walk = Files.walk(pack)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".yaml") || p.getFileName().toString().endsWith(".yml"))
                    .filter(p -> {
                        Path rel = pack.relativize(p);
                        return rel.getNameCount() == 1 || !LIBRARY_DIRS.contains(rel.getName(0).toString());
                    })
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(from)) {
            all = walk.collect(Collectors.toList());
        }
        for (Path p : all) {
            Path t = to.resolve(from.relativize(p).toString());
            if (Files.isDirectory(p)) {
                Files.createDirectories(t);
            } else {
                Files.copy(p, t);
            }
        }
    }
}
