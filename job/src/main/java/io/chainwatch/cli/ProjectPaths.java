package io.chainwatch.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where the shipped patterns and sample data live: {@code $CHAINWATCH_HOME} (set by the launcher), else the
 * current directory or one of its parents that holds {@code cep-patterns/}.
 */
final class ProjectPaths {
    private ProjectPaths() {}

    static Path home() {
        String env = System.getenv("CHAINWATCH_HOME");
        if (env != null && !env.isBlank()) {
            return Paths.get(env).toAbsolutePath().normalize();
        }
        String prop = System.getProperty("chainwatch.home");
        if (prop != null) {
            return Paths.get(prop).toAbsolutePath().normalize();
        }
        Path dir = Paths.get("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("cep-patterns"))) {
                return p;
            }
        }
        return dir;
    }

    static Path patterns() {
        return home().resolve("cep-patterns");
    }
}
